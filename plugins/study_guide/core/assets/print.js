/* The page that prints the whole course: a cover, the contents, then every lesson's answered questions,
   numbered as in its note, with room to write under each, or with their answers (the answer key).
   Built here from the cards file of the review (every question as the lesson pages show it) and the
   answers file of each lesson: the site carries no second copy of the course. Loaded by the print page only. */
(function () {
  "use strict";

  var BASE = ((document.currentScript || {}).src || "").replace(/[^/]*$/, ""); // our folder, assets/study-guide/
  var ROOT = BASE ? new URL("../../", BASE).href : "";

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text != null) e.textContent = text;
    return e;
  }

  function siteName() {
    try {
      var c = JSON.parse(document.getElementById("sg-config").getAttribute("data-sg-config"));
      if (c && typeof c.site === "string") return c.site;
    } catch (e) { /* no settings: the window's title below */ }
    return document.title;
  }

  // A card's links and images are relative to its lesson page: made absolute, they lead to the same places from here.
  function rebase(box, page) {
    [].forEach.call(box.querySelectorAll("[href], [src]"), function (e) {
      ["href", "src"].forEach(function (name) {
        var value = e.getAttribute(name);
        if (value !== null) e.setAttribute(name, new URL(value, page).href);
      });
    });
  }

  function plural(n, word) {
    return n + " " + word + (n === 1 ? "" : "s");
  }

  function question(row, answerHtml, page) {
    var q = el("div", "sg-print__q"), text = el("p", "sg-print__question"), answer = el("div", "sg-print__answer");
    text.innerHTML = row[2];
    text.insertBefore(document.createTextNode(" "), text.firstChild);
    text.insertBefore(el("span", "sg-qa__number", row[4] || ""), text.firstChild);
    answer.innerHTML = answerHtml;
    q.append(text, answer);
    rebase(q, page);
    return q;
  }

  function build(root, data) {
    var lessons = (data && Array.isArray(data.lessons) ? data.lessons : []).filter(function (l) { return l.cards.length; });
    var total = lessons.reduce(function (n, l) { return n + l.cards.length; }, 0);
    root.textContent = "";
    root.setAttribute("data-sg-ready", "");
    if (!lessons.length) return root.appendChild(el("p", "", "No lesson has an answered question yet: there is nothing to print."));

    var controls = el("div", "sg-print__controls"), label = el("label"), box = el("input"), go = el("button", "md-button md-button--primary", "Print");
    box.type = "checkbox";
    go.type = "button";
    label.append(box, " With the answers (answer key)");
    controls.append(label, go, el("p", "", "Every answered question of the course, lesson by lesson, with room to write under each;" +
      " with the answers, the answer key. Your browser's own Print (Ctrl+P, ⌘P) prints the same."));

    var cover = el("section", "sg-print__cover"), kind = el("p", "sg-print__kind", "Worksheets");
    cover.append(el("p", "sg-print__course", siteName()), kind, el("p", "", plural(lessons.length, "lesson") + " · " + plural(total, "question")));

    var contents = el("nav", "sg-print__contents"), list = el("ol");
    contents.setAttribute("aria-label", "Contents");
    contents.append(el("h2", "", "Contents"), list);
    var parts = lessons.map(function (lesson, i) {
      var id = "sg-print-" + (i + 1), page = new URL(lesson.url, ROOT || location.href).href;
      var section = el("section", "sg-print__lesson"), link = el("a", "", lesson.title), item = el("li");
      section.id = id;
      link.href = "#" + id;
      item.append(link, " · " + plural(lesson.cards.length, "question"));
      list.appendChild(item);
      section.appendChild(el("h2", "", lesson.title));
      lesson.cards.forEach(function (row, k) {
        section.appendChild(question(row, (lesson.answers || [])[k] || "", page));
      });
      return section;
    });
    root.append.apply(root, [controls, cover, contents].concat(parts));

    box.addEventListener("change", function () {
      root.classList.toggle("sg-print--key", box.checked);
      kind.textContent = box.checked ? "Answer key" : "Worksheets";
    });
    go.addEventListener("click", function () { window.print(); });
  }

  function start() {
    var root = document.querySelector(".sg-print:not([data-sg-ready])");
    if (!root) return;
    // On screen as on paper: this page's own styles are the print stylesheet's (other pages link it for print only).
    if (!document.getElementById("sg-print-css")) {
      var css = document.head.appendChild(el("link"));
      css.id = "sg-print-css";
      css.rel = "stylesheet";
      css.href = BASE + "print.css";
    }
    if (self.sgCards) return withAnswers(root, self.sgCards);
    var s = document.getElementById("sg-cards");
    if (!s) {
      s = document.head.appendChild(el("script"));
      s.id = "sg-cards";
      s.src = BASE + "cards.js";
    }
    s.addEventListener("load", function () { withAnswers(root, self.sgCards); });
    s.addEventListener("error", function () { failed(root); });
  }

  function failed(root) {
    root.textContent = "The course's questions could not be loaded: rebuild the site, or open this page from it.";
  }

  // Base64 of deflated JSON (as cards.py writes answers files), read back.
  function inflate(text) {
    var bytes = Uint8Array.from(atob(text), function (c) { return c.charCodeAt(0); });
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
    return new Response(stream).text().then(JSON.parse);
  }

  // Every lesson's answers file (a script each, as the review loads them), read into its lesson, then the page.
  function withAnswers(root, data) {
    var lessons = (data && Array.isArray(data.lessons) ? data.lessons : []).filter(function (l) { return l.a; });
    Promise.all(
      lessons.map(function (lesson) {
        return new Promise(function (resolve, reject) {
          if (self.sgAnswers && self.sgAnswers[lesson.a]) return resolve();
          var s = document.head.appendChild(el("script"));
          s.addEventListener("load", resolve);
          s.addEventListener("error", reject);
          s.src = BASE + "answers/" + lesson.a + ".js";
        })
          .then(function () { return inflate(self.sgAnswers[lesson.a]); })
          .then(function (answers) { lesson.answers = answers; });
      })
    ).then(function () { build(root, data); }, function () { failed(root); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
