"""The floor every app stands on: API keys and their authentication, the API's base views,
errors, pagination and request state, rate limiting, the resilient cache, the client's
address, and the security and logging pieces. It imports no app of ours."""
