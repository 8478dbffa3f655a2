// Renders a politician's timeline with TimelineJS; the data URL comes from the page.
(function () {
  "use strict";
  var container = document.getElementById("politician-timeline");
  if (!container || !window.TL) {
    return;
  }
  container.style.height = Math.max(480, Math.round(window.innerHeight * 0.7)) + "px";
  // Fonts and themes would be fetched from a CDN: the archive's own stylesheet is used instead.
  window.timeline = new window.TL.Timeline(container, container.dataset.timelineUrl, {
    font: null,
    language: "en",
    hash_bookmark: false,
    initial_zoom: 2,
    timenav_position: "bottom",
  });
})();
