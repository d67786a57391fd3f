"""``python -m config.environment > docs/configuration.md``"""

import sys

from config.environment.document import render

sys.stdout.write(render())
