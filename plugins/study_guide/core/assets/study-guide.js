/* Study guide front-end: self-test controls, progress kept in localStorage, links to #q-N.
   One IIFE, no framework. Global listeners are bound once, here; Material's instant navigation
   swaps pages without reloading, so per-page state is rebuilt on every document$ emission and
   the listeners act on whatever page is current. */
(function () {
  "use strict";

  var FORMAT = 2; // version of the stored record; a newer one is never overwritten
  var page = null; // the lesson page on screen, null elsewhere
  var keysOff = false, keysKey = ""; // single-key shortcuts off (WCAG 2.1.4), per site
  var landing = null; // waits for Material's search overlay to release the scroll (openTarget)

  // Less-used actions in a menu: one row on a phone.
  var TOOLBAR =
    '<div class="sg-score"><span class="sg-score__text" aria-live="polite"></span>' +
    '<span class="sg-bar" role="progressbar" aria-label="Questions known" aria-valuemin="0"><span class="sg-bar__fill"></span></span></div>' +
    '<div class="sg-toolbar__buttons" role="group" aria-label="Self-test">' +
    '<button type="button" data-sg-do="test" aria-pressed="false">Test mode</button>' +
    '<button type="button" data-sg-do="show">Show all answers</button>' +
    '<button type="button" data-sg-do="hide" hidden>Hide all answers</button>' +
    '<span class="sg-menu"><button type="button" data-sg-do="more" aria-expanded="false" aria-controls="sg-more">More</button>' +
    '<span class="sg-more" id="sg-more" hidden>' +
    '<button type="button" data-sg-do="missed" aria-pressed="false">Only the ones I missed</button>' +
    '<button type="button" data-sg-do="shuffle">Shuffle</button>' +
    '<button type="button" data-sg-do="order" hidden>Original order</button>' +
    '<button type="button" data-sg-do="print">Print worksheet</button>' +
    '<button type="button" data-sg-do="key">Print answer key</button>' +
    '<button type="button" data-sg-do="reset">Reset this lesson</button>' +
    '<button type="button" data-sg-do="keys" aria-haspopup="dialog">Keyboard shortcuts</button></span></span></div>' +
    '<dialog class="sg-keys" id="sg-keys" aria-label="Keyboard shortcuts"><h2>Keyboard shortcuts</h2><dl>' +
    "<dt><kbd>j</kbd> / <kbd>k</kbd></dt><dd>next / previous question</dd>" +
    "<dt><kbd>r</kbd>, or <kbd>Enter</kbd> / <kbd>Space</kbd> on a question</dt><dd>reveal or hide its answer</dd>" +
    "<dt><kbd>t</kbd></dt><dd>test mode on or off</dd>" +
    "<dt><kbd>y</kbd> or <kbd>1</kbd></dt><dd>Knew it (test mode), then the next question</dd>" +
    "<dt><kbd>n</kbd> or <kbd>2</kbd></dt><dd>Not yet (test mode), then the next question</dd>" +
    "<dt><kbd>?</kbd></dt><dd>this list</dd></dl>" +
    '<p><label><input type="checkbox" data-sg-do="single"> Single-key shortcuts</label></p>' +
    '<button type="button" data-sg-do="close">Close</button></dialog>' +
    '<p class="sg-warn" hidden></p><p class="sg-status" role="status"></p>';
  var GRADES =
    '<button type="button" data-sg-do="known" aria-pressed="false">Knew it</button>' +
    '<button type="button" data-sg-do="missed" aria-pressed="false">Not yet</button>';
  var METER = '<span class="sg-score__text"></span> <span class="sg-bar" role="progressbar" aria-label="Questions known" aria-valuemin="0"><span class="sg-bar__fill"></span></span>';

  // ---- stored progress: one record per lesson, {v: 2, c: {key: {t: normalised text, r: [[time, grade], …]}}, test}.
  // A log of reviews per card (grades 1 Again, 2 Hard, 3 Good, 4 Easy): schedules are computed from it, never stored.

  function isObject(x) {
    return x !== null && typeof x === "object" && !Array.isArray(x);
  }

  function storeKey(site, lesson) {
    return "sg:" + encodeURIComponent(site) + ":" + lesson;
  }

  var KEY = /^[0-9a-f]{1,64}$/;

  function isReview(r) {
    return Array.isArray(r) && typeof r[0] === "number" && isFinite(r[0]) && r[0] > 0 && [1, 2, 3, 4].indexOf(r[1]) >= 0;
  }

  /* Whatever is stored (nothing, garbage, another program's value, the first format) gives a usable record.
     blocked: storage cannot be read at all; newer: written by a later format, left alone; aside: what could not
     be read was copied under another key before anything replaces it. */
  function load(key) {
    var raw, data = null, c = Object.create(null), out = { rec: { v: FORMAT, c: c } };
    try {
      raw = window.localStorage.getItem(key);
    } catch (e) {
      out.blocked = true;
      return out;
    }
    try {
      data = JSON.parse(raw);
    } catch (e) { /* not JSON: kept aside below */ }
    if (isObject(data) && typeof data.v === "number" && data.v > FORMAT) out.newer = true;
    else if (isObject(data) && data.v === 1 && isObject(data.q)) {
      // The first format kept only the last grade, undated: it becomes one review, dated now.
      Object.keys(data.q).forEach(function (k) {
        var e = data.q[k];
        if (KEY.test(k) && isObject(e) && (e.g === "known" || e.g === "missed")) c[k] = { t: typeof e.t === "string" ? e.t : "", r: [[Date.now(), e.g === "known" ? 3 : 1]] };
      });
      out.rec.test = data.test === true;
      out.migrated = true;
    } else if (isObject(data) && data.v === FORMAT && isObject(data.c)) {
      Object.keys(data.c).forEach(function (k) {
        var e = data.c[k], r = isObject(e) && Array.isArray(e.r) ? e.r.filter(isReview) : [];
        if (KEY.test(k) && r.length) c[k] = { t: typeof e.t === "string" ? e.t : "", r: r };
      });
      out.rec.test = data.test === true;
    } else if (raw != null) {
      try {
        if (window.localStorage.getItem(key + "~unreadable") == null) window.localStorage.setItem(key + "~unreadable", raw);
        out.aside = true;
      } catch (e) { /* nowhere to keep it: it stays where it is until the next save */ }
    }
    return out;
  }

  function write(key, rec) {
    try {
      window.localStorage.setItem(key, JSON.stringify({ v: FORMAT, c: rec.c, test: rec.test === true }));
      return true;
    } catch (e) {
      return false;
    }
  }

  function lastGrade(e) {
    return e && e.r.length ? e.r.reduce(function (a, b) { return b[0] >= a[0] ? b : a; })[1] : 0;
  }

  function knownIn(rec, total) {
    var n = 0;
    for (var k in rec.c) if (lastGrade(rec.c[k]) > 1) n++;
    return Math.min(n, total);
  }

  function save() {
    if (page.readOnly) return;
    if (!write(page.key, page.rec)) warn("Your progress could not be saved: this browser's storage is full or turned off. Grades last until you leave the page.");
  }

  // ---- matching questions across edits of the note

  function normalise(text) {
    return (String(text).normalize("NFKC").toLowerCase().match(/[\p{L}\p{M}\p{N}]+/gu) || []).join(" ");
  }

  function textOf(el) {
    if (el.sgText == null) {
      var q = el.querySelector(".sg-qa__question"), n = q && q.querySelector(".sg-qa__number");
      var t = q ? q.textContent : "";
      el.sgText = normalise(n ? t.replace(n.textContent, "") : t);
    }
    return el.sgText;
  }

  // ---- the lesson page

  function $(sel) {
    return page.bar.querySelector(sel);
  }

  function gradable(el) {
    return el.tagName === "DETAILS";
  }

  function counts() {
    var known = 0, missed = 0;
    page.items.forEach(function (el) {
      var g = gradable(el) && el.getAttribute("data-sg-grade");
      if (g === "known") known++;
      else if (g === "missed") missed++;
    });
    return { known: known, missed: missed };
  }

  function meter(box, known, total, extra) {
    var bar = box.querySelector(".sg-bar");
    var text = known + " of " + total + " known";
    box.querySelector(".sg-score__text").textContent = text + (extra || "");
    bar.setAttribute("aria-valuemax", total);
    bar.setAttribute("aria-valuenow", known);
    bar.setAttribute("aria-valuetext", text);
    bar.firstChild.style.width = (total ? (100 * known) / total : 0) + "%";
  }

  function showScore() {
    var c = counts();
    meter(page.bar, c.known, page.total, c.missed ? ", " + c.missed + " not yet" : "");
  }

  function status(text) {
    $(".sg-status").textContent = text;
  }

  function warn(text) {
    var w = $(".sg-warn");
    w.textContent = text;
    w.hidden = false;
  }

  function pressed(el, on) {
    el.setAttribute("aria-pressed", !!on);
  }

  function markGrade(el) {
    var g = el.getAttribute("data-sg-grade");
    var box = el.querySelector(".sg-grade");
    if (box) {
      pressed(box.children[0], g === "known");
      pressed(box.children[1], g === "missed");
    }
  }

  // Grade buttons are made when an answer is first revealed in test mode, not 2,000 up front.
  function addGrades(el) {
    if (!gradable(el) || el.querySelector(".sg-grade")) return;
    var box = document.createElement("div");
    box.className = "sg-grade";
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", "Did you know it?");
    box.innerHTML = GRADES;
    el.appendChild(box);
    markGrade(el);
  }

  // "Knew it" counts as Good, "Not yet" as Again. A second grade of a card within a minute of one given on
  // this page replaces it: a slip of the finger or a double click is not a second review.
  function grade(el, g) {
    if (!gradable(el)) return;
    var key = el.getAttribute("data-sg-key"), e = (page.rec.c[key] = page.rec.c[key] || { r: [] }), last = e.r[e.r.length - 1];
    // Never before the card's last review, even when the device's clock went back.
    var now = Math.max(Date.now(), last ? last[0] + 1 : 0), review = [now, g === "known" ? 3 : 1];
    e.t = textOf(el);
    if (last && last.mine && now - last[0] < 60000) e.r.pop();
    review.mine = true;
    e.r.push(review);
    (page.byKey[key] || [el]).forEach(function (same) {
      same.setAttribute("data-sg-grade", g);
      // Under "only the ones I missed", a question just graded stays until the filter is applied again.
      if (page.missed) same.classList.add("sg-keep");
      markGrade(same);
    });
    showScore();
    save();
    var lesson = page.lesson, rec = page.rec;
    if (sg.cfg.review) need(function (app) { app.graded(lesson, rec); }); // the due count follows
  }

  function setTest(on, byUser) {
    page.test = page.rec.test = on;
    page.root.classList.toggle("sg-testing", on);
    pressed($('[data-sg-do="test"]'), on);
    $('[data-sg-do="show"]').disabled = on;
    if (on && byUser) openAll(false);
    if (on) page.items.forEach(function (el) {
      if (el.open) addGrades(el);
    });
    if (byUser) {
      save();
      status(on ? "Test mode on: reveal an answer, then grade it." : "Test mode off.");
    }
  }

  function openAll(open) {
    page.items.forEach(function (el) {
      if (gradable(el)) el.open = open;
    });
    $('[data-sg-do="show"]').hidden = open;
    $('[data-sg-do="hide"]').hidden = !open;
  }

  function shown(el) {
    return !page.missed || el.getAttribute("data-sg-grade") === "missed" || el.classList.contains("sg-keep");
  }

  function setMissed(on) {
    page.missed = on;
    page.items.forEach(function (el) {
      el.classList.remove("sg-keep");
    });
    page.root.classList.toggle("sg-only-missed", on);
    pressed($('[data-sg-do="missed"]'), on);
    var n = counts().missed;
    status(!on ? "Showing every question." : n ? "Showing the " + (n > 1 ? n + " questions" : "question") + " graded “Not yet”." : "Nothing missed yet: questions you grade “Not yet” in test mode show up here.");
  }

  /* Put the question blocks in the given order. Each run of adjacent questions is taken out and
     put back as one fragment: one insertion per run rather than one per question. */
  function arrange(list) {
    var at = 0;
    page.runs.forEach(function (run) {
      var mark = document.createComment(""), frag = document.createDocumentFragment();
      page.items[at].parentNode.insertBefore(mark, page.items[at]);
      list.slice(at, (at += run.length)).forEach(function (el) {
        frag.appendChild(el);
      });
      mark.parentNode.replaceChild(frag, mark);
    });
    page.items = list;
  }

  function shuffle() {
    var list;
    for (var tries = 0; tries < 5; tries++) {
      // Questions move only within their own run, so separate questionnaires stay apart.
      list = [].concat.apply([], page.runs.map(function (run) {
        var r = run.slice();
        for (var i = r.length - 1; i > 0; i--) {
          var j = Math.floor(Math.random() * (i + 1)), x = r[i];
          r[i] = r[j];
          r[j] = x;
        }
        return r;
      }));
      if (list.some(function (el, i) { return el !== page.items[i]; })) break;
    }
    arrange(list);
    $('[data-sg-do="order"]').hidden = false;
    status("Questions shuffled.");
  }

  function reset() {
    var n = 0;
    for (var k in page.rec.c) n += page.rec.c[k].r.length;
    if (!window.confirm("Forget your grades for this lesson (" + n + " reviews)? This cannot be undone: export your progress first to keep a copy.")) return;
    page.rec.c = Object.create(null);
    page.items.forEach(function (el) {
      el.removeAttribute("data-sg-grade");
      el.classList.remove("sg-keep");
      markGrade(el);
    });
    showScore();
    save();
    status("Progress on this lesson reset.");
  }

  // Modal: in view wherever the page is scrolled; Escape closes it.
  function toggleKeys() {
    var d = $("#sg-keys");
    if (d.open) return d.close();
    menu(false);
    $('[data-sg-do="single"]').checked = !keysOff;
    d.showModal();
  }

  function menu(open) {
    $('[data-sg-do="more"]').setAttribute("aria-expanded", open);
    $("#sg-more").hidden = !open;
  }

  var ACTIONS = {
    show: function () {
      openAll(true);
      $('[data-sg-do="hide"]').focus();
    },
    hide: function () {
      openAll(false);
      $('[data-sg-do="show"]').focus();
    },
    more: function () { menu($("#sg-more").hidden); },
    test: function () { setTest(!page.test, true); },
    missed: function () { setMissed(!page.missed); },
    shuffle: shuffle,
    order: function (b) {
      arrange(page.order);
      b.hidden = true;
      status("Questions back in their original order.");
    },
    reset: reset,
    // On paper the page is a worksheet, or the answer key while every answer is shown (print.css).
    print: function () { window.print(); },
    key: function () {
      openAll(true);
      window.print();
    },
    keys: toggleKeys,
    close: toggleKeys,
    single: function (b) {
      keysOff = !b.checked;
      try {
        if (keysOff) window.localStorage.setItem(keysKey, "off");
        else window.localStorage.removeItem(keysKey);
      } catch (e) { /* kept until the page is left */ }
    },
  };

  function setup(bar, site) {
    var root = bar.closest("article") || document.body;
    var items = [].slice.call(root.querySelectorAll(".sg-qa[data-sg-key]"));
    var total = parseInt(bar.getAttribute("data-sg-total"), 10);
    var lesson = bar.getAttribute("data-sg-lesson") || "", key = storeKey(site, lesson);
    var stored = load(key);
    var byKey = Object.create(null), runs = [];
    items.forEach(function (el, i) {
      var k = el.getAttribute("data-sg-key");
      (byKey[k] = byKey[k] || []).push(el);
      if (!i || items[i - 1].nextElementSibling !== el) runs.push([]);
      runs[runs.length - 1].push(el);
    });
    page = {
      bar: bar, root: root, items: items, order: items.slice(), runs: runs, byKey: byKey, key: key, lesson: lesson,
      total: total >= 0 ? total : items.length, rec: stored.rec, readOnly: stored.blocked || stored.newer,
      test: false, missed: false, current: null,
    };
    root.classList.toggle("sg-many", items.length > 200);
    bar.innerHTML = TOOLBAR;
    bar.setAttribute("data-sg-ready", "");
    bar.sgPage = page;
    if (stored.blocked) warn("This browser does not let the site keep your progress: grades last until you leave the page.");
    if (stored.newer) warn("Your progress was saved by a newer version of this site; it is shown as new here and left untouched.");
    if (stored.aside) warn("What this browser had stored for this lesson could not be read: it was kept aside, unchanged, and the lesson starts afresh.");

    applyGrades();
    setTest(page.rec.test === true, false);
    showScore();
    if (stored.migrated) save();
    // Reviews of questions no longer on the page: the note was edited. The review's script matches them up.
    if (Object.keys(page.rec.c).some(function (k) { return !byKey[k]; })) {
      var p = page, cards = items.filter(gradable).map(function (el) {
        return { key: el.getAttribute("data-sg-key"), text: function () { return textOf(el); } };
      });
      need(function (app) {
        var aside = app.rematch(p.rec, cards);
        if (p !== page) return;
        if (p.rec.moved) {
          applyGrades();
          showScore();
          save();
        }
        if (aside) status(aside + (aside > 1 ? " reviews" : " review") + " of questions no longer in this lesson were kept aside.");
      });
    }
  }

  function applyGrades() {
    page.items.forEach(function (el) {
      var g = gradable(el) && lastGrade(page.rec.c[el.getAttribute("data-sg-key")]);
      if (g) el.setAttribute("data-sg-grade", g > 1 ? "known" : "missed");
    });
  }

  // ---- the home page: one meter per lesson, from what is stored

  function fillHome(site) {
    [].forEach.call(document.querySelectorAll(".sg-progress[data-sg-lesson]:not([data-sg-ready])"), function (cell) {
      var total = parseInt(cell.getAttribute("data-sg-total"), 10) || 0;
      var stored = load(storeKey(site, cell.getAttribute("data-sg-lesson")));
      cell.setAttribute("data-sg-ready", "");
      if (stored.blocked) {
        cell.textContent = "not kept in this browser";
        return;
      }
      fillCell(cell, knownIn(stored.rec, total));
    });
  }

  function fillCell(cell, known) {
    var total = parseInt(cell.getAttribute("data-sg-total"), 10) || 0;
    cell.innerHTML = METER;
    meter(cell, Math.min(known, total), total);
  }

  // ---- the review: its script (the scheduler with it) loads only where it is used

  var BASE = ((document.currentScript || {}).src || "").replace(/[^/]*$/, ""); // our folder
  var app = null, waiting = [];

  function need(cb) {
    if (app) return cb(app);
    if (waiting.push(cb) > 1) return;
    var css = document.createElement("link"), js = document.createElement("script");
    css.rel = "stylesheet";
    css.href = BASE + "review.css";
    js.src = BASE + "review.js";
    js.onerror = function () {
      waiting = [];
    };
    document.head.append(css, js);
  }

  function dueKey(site) {
    return "sg~due:" + encodeURIComponent(site);
  }

  // The count of due cards beside the review page's link, from what the review last computed.
  function showDue() {
    if (!sg.cfg.review) return;
    var due = 0, now = Date.now(), d = null, href = new URL(sg.cfg.review, location.href).href;
    try {
      d = JSON.parse(window.localStorage.getItem(dueKey(sg.site)));
    } catch (e) { /* nothing known: no count */ }
    if (isObject(d) && isObject(d.d)) for (var k in d.d) if (d.d[k] <= now) due++;
    [].forEach.call(document.querySelectorAll("a.md-nav__link[href]"), function (a) {
      var b = a.querySelector(".sg-due");
      if (a.href !== href) return;
      if (!b && due) {
        b = document.createElement("span");
        b.className = "sg-due";
        a.appendChild(b);
      }
      if (b) {
        b.textContent = due ? due + " due" : "";
        b.hidden = !due;
      }
    });
  }

  // ---- keyboard

  function current() {
    var a = document.activeElement, el = a && a.closest && a.closest(".sg-qa");
    if (el && page.root.contains(el)) return el;
    return page.current && page.current.isConnected ? page.current : null;
  }

  function focusQuestion(el) {
    var target = gradable(el) ? el.querySelector("summary") : el;
    if (!gradable(el)) el.tabIndex = -1;
    page.current = el;
    target.focus({ preventScroll: true });
    var r = el.getBoundingClientRect();
    // Below the score, which stays at the top.
    if (r.top < $(".sg-score").getBoundingClientRect().bottom || r.bottom > window.innerHeight) el.scrollIntoView({ block: "start" });
  }

  function move(step) {
    var list = page.items, at = list.indexOf(current());
    var i = at < 0 ? (step > 0 ? -1 : list.length) : at;
    for (i += step; i >= 0 && i < list.length; i += step) {
      if (shown(list[i])) return focusQuestion(list[i]);
    }
  }

  function keyGrade(g) {
    var el = current();
    if (!el) return status("Go to a question first (j / k).");
    if (!gradable(el)) return status("This question has no answer to grade yet.");
    if (!el.open) return status("Reveal the answer first (r).");
    grade(el, g);
    move(1);
  }

  var KEYS = {
    j: function () { move(1); },
    k: function () { move(-1); },
    r: function () {
      var el = current();
      if (!el) return move(1);
      if (gradable(el)) el.open = !el.open;
      focusQuestion(el);
    },
    t: function () { setTest(!page.test, true); },
    y: function () { keyGrade("known"); },
    n: function () { keyGrade("missed"); },
    "?": toggleKeys,
  };
  KEYS["1"] = KEYS.y;
  KEYS["2"] = KEYS.n;

  function typing(el) {
    while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }

  function onKey(e) {
    var act = KEYS[e.key];
    if (!page || !page.bar.isConnected) return;
    if (e.key === "Escape" && !$("#sg-more").hidden) {
      menu(false);
      return $('[data-sg-do="more"]').focus();
    }
    if (!act || keysOff || e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
    if (typing(e.target) || typing(document.activeElement) || ($("#sg-keys").open && e.key !== "?")) return;
    var search = document.querySelector("[data-md-toggle=search]");
    if (search && search.checked) return;
    // Grading keys are ours in test mode only: elsewhere "n" stays Material's next page.
    if ("yn12".indexOf(e.key) >= 0 && !page.test) return;
    e.preventDefault();
    e.stopPropagation();
    act();
  }

  function onClick(e) {
    var b = page && e.target.closest && e.target.closest("[data-sg-do]");
    if (page && !(e.target.closest && e.target.closest(".sg-menu"))) menu(false); // a click elsewhere closes the menu
    if (!b || !page.root.contains(b)) return;
    var q = b.closest(".sg-qa");
    if (q) return grade(q, b.getAttribute("data-sg-do"));
    if (b.parentNode.id === "sg-more") {
      menu(false);
      $('[data-sg-do="more"]').focus(); // the item is hidden now; the dialog returns focus here
    }
    ACTIONS[b.getAttribute("data-sg-do")](b);
  }

  function onToggle(e) {
    var el = e.target;
    if (page && page.test && el.open && el.classList && el.classList.contains("sg-qa") && page.root.contains(el)) addGrades(el);
  }

  // A link to #q-N (or a search result) must land on an open answer, not a closed box.
  function openTarget() {
    var id;
    try {
      id = decodeURIComponent(location.hash.slice(1));
    } catch (e) {
      return;
    }
    var target = id && document.getElementById(id);
    if (!target) return;
    var details = target.closest("details"), hidden = false;
    while (details) {
      hidden = hidden || (details !== target && !details.open);
      details.open = true;
      details = details.parentElement && details.parentElement.closest("details");
    }
    // A visible target (a question's own block, a heading) was scrolled to by the browser or Material;
    // scrolling again could undo theirs: Material's section tracking may have rewritten the hash already.
    if (!hidden) return;
    if (landing) landing.disconnect();
    landing = null;
    if (!document.body.hasAttribute("data-md-scrolllock")) return target.scrollIntoView({ block: "start" });
    // Coming from a search result: Material's overlay has locked scrolling and, once it closes, puts the
    // page back where it was. Land on the target after that, or the answer opens out of sight.
    landing = new MutationObserver(function () {
      if (document.body.hasAttribute("data-md-scrolllock")) return;
      landing.disconnect();
      landing = null;
      if (target.isConnected) target.scrollIntoView({ block: "start" });
    });
    landing.observe(document.body, { attributes: true, attributeFilter: ["data-md-scrolllock"] });
  }

  function readConfig() {
    var el = document.getElementById("sg-config");
    try {
      var c = JSON.parse(el.getAttribute("data-sg-config"));
      if (isObject(c)) return c;
    } catch (e) { /* no settings: defaults below */ }
    return {};
  }

  // ---- the lesson video: the player loads only when asked for; then bullet times seek it

  function setupVideo() {
    var box = document.querySelector(".sg-video[data-sg-embed]");
    if (!box || box.querySelector(".sg-video__open")) return;
    // One clear control; the video's own page, a quieter link.
    var open = document.createElement("button"), link = box.querySelector(".sg-video__link");
    open.type = "button";
    open.className = "sg-video__open md-button md-button--primary";
    open.textContent = "Play the lesson video here";
    box.insertBefore(open, box.firstChild);
    if (link) link.textContent = box.getAttribute("data-sg-kind") === "youtube" ? "or watch it on YouTube" : "or open the video file";
  }

  function openPlayer(box) {
    var player = box.querySelector(".sg-video__player");
    if (player) return player;
    if (box.getAttribute("data-sg-kind") === "youtube") {
      player = document.createElement("iframe");
      player.title = "Lesson video";
      player.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
    } else {
      player = document.createElement("video");
      player.controls = true;
      player.preload = "metadata";
    }
    player.className = "sg-video__player";
    player.src = box.getAttribute("data-sg-embed");
    box.appendChild(player);
    box.querySelector(".sg-video__open").hidden = true;
    return player;
  }

  function seek(player, seconds) {
    if (player.tagName === "VIDEO") {
      player.currentTime = seconds;
      var playing = player.play && player.play();
      if (playing && playing.catch) playing.catch(function () {});
      return;
    }
    // YouTube's player takes commands as messages when its address has enablejsapi=1.
    ["seekTo", "playVideo"].forEach(function (func) {
      var args = func === "seekTo" ? [seconds, true] : [];
      player.contentWindow.postMessage(JSON.stringify({ event: "command", func: func, args: args }), "https://www.youtube-nocookie.com");
    });
  }

  function onVideoClick(e) {
    var target = e.target.closest ? e.target : null;
    var open = target && target.closest(".sg-video__open");
    if (open) return openPlayer(open.closest(".sg-video"));
    var time = target && target.closest("a.sg-time[data-sg-time]");
    if (!time || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
    var player = document.querySelector(".sg-video .sg-video__player");
    if (!player) return; // no player on the page: the link leads to the video itself
    e.preventDefault();
    seek(player, Number(time.getAttribute("data-sg-time")));
    player.scrollIntoView({ block: "nearest" });
  }

  // Material counts matching pages ("1 matching document") but lists each question: count what is listed.
  function countResults() {
    var meta = document.querySelector(".md-search-result__meta");
    var n = document.querySelectorAll('.md-search-result__list article:not([data-md-score="0.00"])').length;
    var text = n + (n > 1 ? " results" : " result");
    if (meta && n && meta.textContent !== text) meta.textContent = text;
  }

  function init() {
    // Material's search dialog has no accessible name (an axe "serious" finding on every page).
    var dialog = document.querySelector('.md-search[role="dialog"]:not([aria-label])');
    if (dialog) dialog.setAttribute("aria-label", "Search");
    var cfg = (sg.cfg = readConfig()), site = (sg.site = typeof cfg.site === "string" ? cfg.site : location.host);
    keysKey = "sg-keys:" + encodeURIComponent(site);
    try {
      keysOff = window.localStorage.getItem(keysKey) === "off";
    } catch (e) { /* shortcuts stay on */ }
    var results = document.querySelector(".md-search-result");
    if (results && !results.sgCounted) {
      results.sgCounted = true;
      new MutationObserver(countResults).observe(results, { childList: true, subtree: true });
    }
    var bar = document.querySelector(".sg-toolbar[data-sg-lesson]");
    page = bar && bar.sgPage ? bar.sgPage : null; // the same page emitted again: keep its state
    fillHome(site);
    if (bar && !page) setup(bar, site);
    setupVideo();
    openTarget();
    showDue();
    if (cfg.review && document.querySelector(".sg-review, .sg-dashboard")) {
      // The cards file loads beside the review's script, not after it.
      if (!self.sgCards && !document.getElementById("sg-cards")) {
        var s = document.head.appendChild(document.createElement("script"));
        s.onerror = s.remove;
        s.id = "sg-cards";
        s.src = BASE + "cards.js";
      }
      need(function (a) { a.mount(); });
    }
  }

  // What the review's script shares with this one: one format of stored progress, read and written in one place.
  var sg = (window.sg = {
    cfg: {}, site: "", load: load, write: write, storeKey: storeKey, dueKey: dueKey, normalise: normalise,
    lastGrade: lastGrade, isReview: isReview, isObject: isObject, KEY: KEY, BASE: BASE, showDue: showDue, fillCell: fillCell, need: need,
    ready: function (a) {
      app = a;
      waiting.splice(0).forEach(function (cb) { cb(a); });
    },
  });

  document.addEventListener("keydown", onKey);
  document.addEventListener("click", onClick);
  document.addEventListener("click", onVideoClick);
  document.addEventListener("toggle", onToggle, true); // toggle does not bubble
  window.addEventListener("hashchange", openTarget);
  // Material re-renders pages without reloading; its document$ observable tells us when.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
