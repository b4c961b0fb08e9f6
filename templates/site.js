/* The companion site's only script: the day of the course first on the agenda, and the
   offline search. Nothing is fetched: the index is a classic script (search-index.js),
   because browsers refuse fetch() on pages opened from files. Without JavaScript, the
   agenda lists the days in order and each page can still be searched with Ctrl+F. */
(function () {
  "use strict";

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  /* The day shown first: ?day=N in the address, else the day whose date is today (the
     browser's clock: the site may be built weeks before the course). */
  function currentDay() {
    var days = document.getElementById("days");
    if (!days) { return; }
    var sections = days.querySelectorAll("section.day");
    var wanted = new URLSearchParams(window.location.search).get("day");
    var now = new Date();
    var today = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
    var chosen = null;
    for (var i = 0; i < sections.length; i++) {
      var section = sections[i];
      if ((wanted && section.getAttribute("data-day") === wanted) || (!wanted && section.getAttribute("data-date") === today)) {
        chosen = section;
      }
    }
    if (!chosen) { return; }
    chosen.classList.add("today");
    if (!wanted) { chosen.querySelector(".today-badge").hidden = false; }
    days.insertBefore(chosen, days.firstElementChild);
  }

  /* Lower case, without accents, Arabic vowel marks or tatweel, so that "migracion" finds
     "migración" and a word is found with or without its short vowels. */
  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f\u064b-\u065f\u0670\u0640]/g, "").toLowerCase();
  }

  function words(text) {
    return fold(text).split(/[\s.,;:!?()\[\]"'«»“”‘’\u060c\u061b\u061f-]+/).filter(function (w) { return w.length > 0; });
  }

  /* The text folded, with the place in the original of each folded character, so that a
     match found in the folded text is marked in the original one. */
  function foldMap(text) {
    var folded = "", map = [];
    for (var i = 0; i < text.length; i++) {
      var piece = fold(text[i]);
      folded += piece;
      for (var j = 0; j < piece.length; j++) { map.push(i); }
    }
    map.push(text.length);
    return { folded: folded, map: map };
  }

  /* A stretch of the text around the first match, with every word of the query marked. */
  function snippet(element, text, query) {
    var whole = foldMap(text);
    var first = whole.folded.indexOf(query[0]);
    var start = Math.max(0, (first < 0 ? 0 : whole.map[first]) - 60);
    if (start > 0) {  /* start at a word, not inside one */
      var space = text.slice(start, start + 30).search(/\s/);
      if (space >= 0) { start += space + 1; }
    }
    var end = Math.min(text.length, start + 200);
    var piece = text.slice(start, end);
    var part = foldMap(piece);
    var marks = [];
    query.forEach(function (word) {
      var from = 0, at;
      while (word.length && (at = part.folded.indexOf(word, from)) >= 0) {
        marks.push([part.map[at], part.map[at + word.length - 1] + 1]);
        from = at + word.length;
      }
    });
    marks.sort(function (a, b) { return a[0] - b[0]; });
    if (start > 0) { element.appendChild(document.createTextNode("… ")); }
    var position = 0;
    marks.forEach(function (mark) {
      if (mark[0] < position) { return; }
      element.appendChild(document.createTextNode(piece.slice(position, mark[0])));
      var node = document.createElement("mark");
      node.textContent = piece.slice(mark[0], mark[1]);
      element.appendChild(node);
      position = mark[1];
    });
    element.appendChild(document.createTextNode(piece.slice(position) + (end < text.length ? " …" : "")));
  }

  function search() {
    var results = document.getElementById("results");
    var status = document.getElementById("search-status");
    if (!results || !status) { return; }
    var raw = new URLSearchParams(window.location.search).get("q") || "";
    var box = document.getElementById("q");
    if (box) { box.value = raw; }
    var query = words(raw);
    if (!query.length) { status.textContent = status.getAttribute("data-empty"); return; }
    var index = window.SITE_INDEX || [];
    var found = [];
    index.forEach(function (entry) {
      var haystack = fold(entry.title + " " + entry.text);
      var score = 0;
      for (var i = 0; i < query.length; i++) {
        var count = haystack.split(query[i]).length - 1;
        if (!count) { return; }
        score += count + (fold(entry.title).indexOf(query[i]) >= 0 ? 10 : 0);
      }
      found.push({ entry: entry, score: score });
    });
    found.sort(function (a, b) { return b.score - a.score; });
    status.textContent = found.length
      ? status.getAttribute("data-count").replace("{count}", String(found.length))
      : status.getAttribute("data-none");
    found.forEach(function (hit) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = hit.entry.url;
      link.setAttribute("dir", "auto");
      link.textContent = hit.entry.title;
      item.appendChild(link);
      var text = document.createElement("span");
      text.className = "snippet";
      text.setAttribute("dir", "auto");
      snippet(text, hit.entry.text, query);
      item.appendChild(text);
      results.appendChild(item);
    });
  }

  currentDay();
  search();
})();
