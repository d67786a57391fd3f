/* The public status pages' times in the reader's own time zone.

   The server writes every time as <time datetime="ISO 8601"> in the page's zone, named,
   and the footer says which zone that is: a reader without scripts reads that. Where
   scripts run, each time with a time of day is rewritten in the browser's zone and
   language (Intl, no library), its zone named, and the footer says so. Days (headings,
   the history's months) stay the page's days: the incidents are grouped by them.

   Served from our own static files ('self' in the Content-Security-Policy): the bodies
   that load it are cached and shared by every reader, so they carry no per-response
   nonce. */
(function () {
  "use strict";
  var note = document.getElementById("time-zone");
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (!note || !zone || zone === note.getAttribute("data-zone")) {
    return;
  }
  var shown = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
    year: "numeric", month: "short", day: "numeric",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    timeZone: zone, timeZoneName: "short"
  });
  var times = document.querySelectorAll("time[datetime*='T']");
  for (var i = 0; i < times.length; i++) {
    var moment = new Date(times[i].getAttribute("datetime"));
    if (isNaN(moment.getTime())) {
      continue;
    }
    times[i].title = times[i].textContent;  // the page's own zone, on hover
    times[i].textContent = shown.format(moment);
  }
  note.textContent = note.getAttribute("data-reader-text").replace("{zone}", zone);
  note.setAttribute("data-converted", zone);
})();
