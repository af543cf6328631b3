/* Study guide review: spaced repetition across the course (FSRS-6), the review session, the dashboard,
   export and import. Loaded by study-guide.js only where it is used (the review page, the home page, a lesson
   page once a question is graded); it reads and writes progress through window.sg, never on its own. */
(function () {
  "use strict";

  var sg = window.sg;

  // ---- FSRS-6 with its default parameters, computed as the reference scheduler (the Python package
  // fsrs 6.3) computes it, step for step: tests compare the two on random histories of grades.

  var W = [0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796, 1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542];
  var DECAY = -W[20], FACTOR = Math.pow(0.9, 1 / DECAY) - 1, RETENTION = 0.9, MAX_DAYS = 36500;
  var MIN = 60000, DAY = 864e5, LEARN = [MIN, 10 * MIN], RELEARN = [10 * MIN];
  var LEARNING = 1, REVIEW = 2, RELEARNING = 3;

  function clampS(s) {
    return Math.max(s, 0.001);
  }

  function clampD(d) {
    return Math.min(Math.max(d, 1), 10);
  }

  function initialD(g) {
    return W[4] - Math.exp(W[5] * (g - 1)) + 1;
  }

  function roundHalfEven(x) {
    var f = Math.floor(x), rest = x - f;
    return rest > 0.5 || (rest === 0.5 && f % 2) ? f + 1 : f;
  }

  function interval(s) {
    return Math.min(Math.max(roundHalfEven((s / FACTOR) * (Math.pow(RETENTION, 1 / DECAY) - 1)), 1), MAX_DAYS) * DAY;
  }

  function nextD(d, g) {
    var damped = d + ((10 - d) * -(W[6] * (g - 3))) / 9;
    return clampD(W[7] * initialD(4) + (1 - W[7]) * damped);
  }

  function nextS(c, t, g) {
    var days = Math.max(0, Math.floor((t - c.last) / DAY)), r = Math.pow(1 + (FACTOR * days) / c.s, DECAY), s = c.s, d = c.d;
    if (g === 1) return clampS(Math.min(W[11] * Math.pow(d, -W[12]) * (Math.pow(s + 1, W[13]) - 1) * Math.exp((1 - r) * W[14]), s / Math.exp(W[17] * W[18])));
    var bonus = (g === 2 ? W[15] : 1) * (g === 4 ? W[16] : 1);
    return clampS(s * (1 + Math.exp(W[8]) * (11 - d) * Math.pow(s, -W[9]) * (Math.exp((1 - r) * W[10]) - 1) * bonus));
  }

  function shortS(s, g) {
    var up = Math.exp(W[17] * (g - 3 + W[18])) * Math.pow(s, -W[19]);
    return clampS(s * (g > 1 ? Math.max(up, 1) : up));
  }

  var NEW = { state: LEARNING, step: 0, s: null, d: null, last: null, due: null };

  /* The card after one review at time t (ms) with grade g (1 Again, 2 Hard, 3 Good, 4 Easy). */
  function next(c, t, g) {
    var n = { state: c.state, step: c.step, s: c.s, d: c.d, last: t }, steps = c.state === RELEARNING ? RELEARN : LEARN, wait;
    if (c.s == null) {
      n.s = clampS(W[g - 1]);
      n.d = clampD(initialD(g));
    } else {
      n.s = t - c.last < DAY ? shortS(c.s, g) : nextS(c, t, g);
      n.d = nextD(c.d, g);
    }
    if (c.state === REVIEW) {
      if (g === 1) {
        n.state = RELEARNING;
        n.step = 0;
        wait = RELEARN[0];
      } else wait = interval(n.s);
    } else if (c.step >= steps.length && g > 1) wait = null;
    else if (g === 1) wait = steps[(n.step = 0)];
    else if (g === 2) wait = c.step ? steps[c.step] : steps.length > 1 ? (steps[0] + steps[1]) / 2 : steps[0] * 1.5;
    else if (g === 3 && c.step + 1 < steps.length) wait = steps[++n.step];
    else wait = null;
    if (wait === null) {
      n.state = REVIEW;
      n.step = null;
      wait = interval(n.s);
    }
    n.due = t + wait;
    return n;
  }

  /* A card's state from its log of reviews, replayed in time order: the schedule is never stored. */
  function replay(reviews) {
    return reviews
      .slice()
      .sort(function (a, b) { return a[0] - b[0]; })
      .reduce(function (c, r) { return next(c, r[0], r[1]); }, NEW);
  }

  // ---- matching questions across edits of the note

  var SIMILAR = 0.8; // bigram Dice at or above which an edited question keeps its reviews

  function bigrams(s) {
    var m = new Map();
    for (var i = 0; i < s.length - 1; i++) {
      var b = s.substr(i, 2);
      m.set(b, (m.get(b) || 0) + 1);
    }
    m.size_ = Math.max(s.length - 1, 0);
    return m;
  }

  function dice(a, b) {
    if (!a.size_ || !b.size_) return 0;
    var common = 0;
    a.forEach(function (n, k) {
      common += Math.min(n, b.get(k) || 0);
    });
    return (2 * common) / (a.size_ + b.size_);
  }

  /* Reviews whose question is no longer in the lesson go to the most similar question without reviews,
     if similar enough: the learner fixed a typo or reworded slightly. The rest are kept aside, unused.
     cards: the lesson's questions now, [{key, text: function}]. Returns how many reviews are kept aside. */
  function rematch(rec, cards) {
    var c = rec.c, aside = 0, keys = Object.keys(c);
    if (!keys.length) return 0;
    var here = new Set(cards.map(function (card) { return card.key; }));
    var stale = keys.filter(function (k) {
      return !here.has(k);
    });
    if (!stale.length) return 0;
    var free = cards.filter(function (card) {
      return !c[card.key];
    });
    stale.forEach(function (k) {
      var t = c[k].t, grams = null, best = null, score = SIMILAR;
      free.forEach(function (card) {
        var ct = card.t = card.t == null ? card.text() : card.t;
        // Dice >= 0.8 needs the shorter text to be at least 2/3 of the longer one: skip the rest cheaply.
        if (!t || card.taken || Math.min(t.length, ct.length) - 1 < (2 / 3) * (Math.max(t.length, ct.length) - 1)) return;
        grams = grams || bigrams(t);
        card.grams = card.grams || bigrams(ct);
        var d = dice(grams, card.grams);
        if (d >= score) {
          score = d;
          best = card;
        }
      });
      if (!best) return (aside += c[k].r.length);
      best.taken = rec.moved = true;
      c[best.key] = { t: best.t, r: c[k].r };
      delete c[k];
    });
    return aside;
  }

  // ---- the course: cards from the cards file, progress from each lesson's record

  var course = null, LEARN_AHEAD = 20 * MIN;

  // The cards file: study-guide.js may have started loading it already (it removes it if that failed).
  function loadCards(done) {
    if (self.sgCards) return done(self.sgCards);
    var s = document.getElementById("sg-cards");
    if (!s) {
      s = document.head.appendChild(document.createElement("script"));
      s.id = "sg-cards";
      s.src = sg.BASE + "cards.js";
    }
    var end = function () { done(self.sgCards || null); };
    s.addEventListener("load", end);
    s.addEventListener("error", end);
  }

  // A lesson's answers: a file of their own (answers/<name>.js: their JSON deflated, in base64), loaded when one of
  // its cards is shown. *done* runs once they are in the cards (at once if they are), or with false if they could not be read.
  function loadAnswers(lesson, done) {
    if (lesson.ready || !lesson.answers) return done && done(!!lesson.ready);
    if (done) (lesson.waiting = lesson.waiting || []).push(done);
    if (lesson.loading) return;
    var end = function (answers) {
      lesson.loading = null; // a failure: the next card of the lesson tries again
      if (answers) {
        lesson.cards.forEach(function (card, i) { card.a = answers[i]; });
        lesson.ready = true;
      }
      (lesson.waiting || []).splice(0).forEach(function (cb) { cb(!!answers); });
    };
    var script = (lesson.loading = document.head.appendChild(document.createElement("script")));
    script.addEventListener("load", function () {
      script.remove();
      // A browser without DecompressionStream throws: the answer then says it could not be loaded.
      Promise.resolve(lesson.answers).then(function (name) { return inflate(self.sgAnswers[name]); }).then(end, function () { end(null); });
    });
    script.addEventListener("error", function () { script.remove(); end(null); });
    script.src = sg.BASE + "answers/" + lesson.answers + ".js";
  }

  // Base64 of deflated JSON (as cards.py writes answers files), read back.
  function inflate(text) {
    var bytes = Uint8Array.from(atob(text), function (c) { return c.charCodeAt(0); });
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
    return new Response(stream).text().then(JSON.parse);
  }

  function build(data) {
    var root = new URL("../../", sg.BASE), c = { lessons: [], cards: [], aside: 0, blocked: false, newer: 0, due: {} };
    data.lessons.forEach(function (l) {
      var key = sg.storeKey(sg.site, l.id), stored = sg.load(key);
      var lesson = { id: l.id, title: l.title, url: new URL(l.url, root).href, key: key, rec: stored.rec, ro: stored.blocked || stored.newer, cards: [], answers: l.a };
      c.blocked = c.blocked || !!stored.blocked;
      if (stored.newer) c.newer++;
      l.cards.forEach(function (row) {
        var card = { lesson: lesson, anchor: row[0], key: row[1], q: row[2], a: null, tags: l.tags.concat(row[3]) };
        card.text = function () { return sg.normalise(plain(card.q)); };
        lesson.cards.push(card);
        c.cards.push(card);
      });
      c.aside += rematch(lesson.rec, lesson.cards);
      if (lesson.rec.moved || stored.migrated) persist(lesson);
      lesson.cards.forEach(refresh);
      c.lessons.push(lesson);
    });
    return c;
  }

  function plain(html) {
    var t = document.createElement("template");
    t.innerHTML = html;
    return t.content.textContent;
  }

  function refresh(card) {
    var e = card.lesson.rec.c[card.key];
    card.log = e ? e.r : [];
    card.st = card.log.length ? replay(card.log) : null;
  }

  function persist(lesson) {
    if (lesson.ro) return true;
    var ok = sg.write(lesson.key, lesson.rec);
    if (!ok) note("Your progress could not be saved: this browser's storage is full or turned off.");
    return ok;
  }

  // The due time of every card seen, for the count beside the review page's link on every page. Derived
  // data: written a moment after a grade (or when the page is left), not in the middle of one.
  var dueTimer = 0;

  function saveDue(card) {
    var d = course.due;
    if (card) d[card.lesson.id + "/" + card.key] = card.st.due;
    else
      course.cards.forEach(function (c) {
        if (c.st) d[c.lesson.id + "/" + c.key] = c.st.due;
      });
    clearTimeout(dueTimer);
    dueTimer = setTimeout(writeDue, card ? 1500 : 0);
  }

  function writeDue() {
    if (!dueTimer || !course) return;
    dueTimer = 0;
    try {
      window.localStorage.setItem(sg.dueKey(sg.site), JSON.stringify({ v: 2, d: course.due }));
    } catch (e) { /* the count is a convenience */ }
    sg.showDue();
  }

  window.addEventListener("pagehide", writeDue);

  // A grade given on a lesson page: that lesson's due times change.
  function graded(lessonId, rec) {
    writeDue();
    var d = {}, key = sg.dueKey(sg.site);
    try {
      d = JSON.parse(window.localStorage.getItem(key)).d || {};
    } catch (e) { /* start afresh */ }
    Object.keys(rec.c).forEach(function (k) {
      d[lessonId + "/" + k] = replay(rec.c[k].r).due;
    });
    try {
      window.localStorage.setItem(key, JSON.stringify({ v: 2, d: d }));
    } catch (e) { /* the count is a convenience */ }
    course = null; // read again where it is shown next
    sg.showDue();
  }

  function startOfDay(t) {
    var d = new Date(t);
    d.setHours(0, 0, 0, 0);
    return d.getTime();
  }

  function dayKey(t) {
    var d = new Date(t);
    return d.getFullYear() + "-" + (d.getMonth() + 1) + "-" + d.getDate();
  }

  // New cards brought in today, across the course: the daily limit counts them all.
  function newToday(now) {
    var today = startOfDay(now);
    return course.cards.filter(function (card) {
      return card.log.length && Math.min.apply(null, card.log.map(function (r) { return r[0]; })) >= today;
    }).length;
  }

  function stats(cards, now) {
    var due = cards.filter(function (c) { return c.st && c.st.due <= now; });
    var lessons = {};
    due.forEach(function (c) { lessons[c.lesson.id] = 1; });
    var fresh = cards.filter(function (c) { return !c.st; }).length;
    var allowed = Math.max(0, (sg.cfg.newPerDay | 0) - newToday(now));
    return { due: due, lessons: Object.keys(lessons).length, fresh: fresh, newNow: Math.min(fresh, allowed) };
  }

  function ago(ms) {
    var m = Math.round(ms / MIN);
    if (m < 60) return Math.max(m, 1) + " min";
    if (m < 1440) return Math.round(m / 60) + " h";
    var d = Math.round(m / 1440);
    return d < 31 ? d + " d" : d < 365 ? Math.round(d / 30.4) + " mo" : (d / 365).toFixed(1).replace(/\.0$/, "") + " y";
  }

  function plural(n, one, many) {
    return n + " " + (n === 1 ? one : many || one + "s");
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  // A card's HTML, with links and images pointing where they did on the lesson page.
  function fragment(html, base) {
    var t = document.createElement("template");
    t.innerHTML = html;
    [].forEach.call(t.content.querySelectorAll("[src], [href]"), function (e) {
      var a = e.hasAttribute("src") ? "src" : "href";
      e.setAttribute(a, new URL(e.getAttribute(a), base).href);
    });
    return t.content;
  }

  // ---- the review session

  var R = null; // the review on screen: its elements, queue and tallies

  var PAGE =
    '<p class="sg-rv__counts" role="status"></p>' +
    '<div class="sg-rv__options"><label>Lesson <select data-sg-filter="lesson"><option value="">All lessons</option></select></label>' +
    '<label>Tag <select data-sg-filter="tag"><option value="">All tags</option></select></label>' +
    '<label><input type="checkbox" data-sg-typed> Type my answer first</label></div>' +
    '<section class="sg-card" aria-label="Card" hidden><p class="sg-card__meta"></p><div class="sg-card__q"></div>' +
    '<textarea class="sg-card__typed" rows="3" aria-label="Your answer" placeholder="Your answer (Ctrl+Enter shows the stored one)" hidden></textarea>' +
    '<p class="sg-card__terms" hidden></p>' +
    '<button type="button" class="md-button md-button--primary sg-card__reveal" data-sg-rv="reveal">Show answer <kbd>Space</kbd></button>' +
    '<div class="sg-card__a" hidden></div>' +
    '<div class="sg-card__grades" role="group" aria-label="How well did you know it?" hidden>' +
    '<button type="button" data-sg-g="1">Again <kbd>1</kbd><small></small></button><button type="button" data-sg-g="2">Hard <kbd>2</kbd><small></small></button>' +
    '<button type="button" data-sg-g="3">Good <kbd>3</kbd><small></small></button><button type="button" data-sg-g="4">Easy <kbd>4</kbd><small></small></button></div></section>' +
    '<div class="sg-rv__done" hidden></div>' +
    '<p class="sg-rv__actions"><button type="button" class="md-button" data-sg-rv="ahead" hidden>Study ahead</button></p>' +
    '<details class="sg-rv__data"><summary>Keep your progress: export or import</summary>' +
    "<p>Your reviews live in this browser only. Export them to a file to keep a copy or to move them to another browser; importing a file adds its reviews to the ones here (none is counted twice).</p>" +
    '<p><button type="button" class="md-button" data-sg-rv="export">Export progress</button> ' +
    '<label class="md-button">Import progress<input type="file" accept=".json,application/json" data-sg-import hidden></label></p>' +
    '<p class="sg-rv__note" role="status"></p></details>';

  function mountReview(root) {
    root.innerHTML = PAGE;
    R = { root: root, queue: [], tally: [0, 0, 0, 0, 0], done: 0, card: null };
    var lessons = root.querySelector('[data-sg-filter="lesson"]'), tags = root.querySelector('[data-sg-filter="tag"]'), seen = {};
    course.lessons.forEach(function (l) {
      if (l.cards.length) lessons.add(new Option(l.title, l.id));
    });
    course.cards.forEach(function (c) {
      c.tags.forEach(function (t) { seen[t] = 1; });
    });
    Object.keys(seen).sort().forEach(function (t) { tags.add(new Option("#" + t, t)); });
    tags.parentNode.hidden = tags.options.length < 2;
    var q = new URLSearchParams(location.search);
    lessons.value = q.get("lesson") || "";
    tags.value = q.get("tag") || "";
    if (course.aside) note(plural(course.aside, "review") + " of questions no longer in the notes " + (course.aside === 1 ? "was" : "were") + " kept aside: export keeps them.");
    if (course.newer) note("Progress saved by a newer version of this site is shown as new here and left untouched.");
    if (course.blocked) note("This browser does not let the site keep your progress: reviews last until you leave the page.");
    start(false);
  }

  function filtered() {
    var l = R.root.querySelector('[data-sg-filter="lesson"]').value, t = R.root.querySelector('[data-sg-filter="tag"]').value;
    return course.cards.filter(function (c) {
      return (!l || c.lesson.id === l) && (!t || c.tags.indexOf(t) >= 0);
    });
  }

  function start(ahead) {
    var now = Date.now(), cards = filtered(), s = stats(cards, now);
    R.queue = s.due.sort(function (a, b) { return a.st.due - b.st.due; });
    var fresh = cards.filter(function (c) { return !c.st; });
    R.queue = R.queue.concat(fresh.slice(0, s.newNow));
    if (ahead) {
      var later = cards.filter(function (c) { return c.st && c.st.due > now; }).sort(function (a, b) { return a.st.due - b.st.due; });
      R.queue = later.concat(fresh.slice(s.newNow)).slice(0, 20);
    }
    R.tally = [0, 0, 0, 0, 0];
    R.done = 0;
    tell(cards, ahead);
    R.root.querySelector(".sg-rv__done").hidden = true;
    show(R.queue.shift());
  }

  function tell(cards, ahead) {
    var s = stats(cards, Date.now());
    R.root.querySelector(".sg-rv__counts").textContent = !cards.length
      ? "No cards here yet: answered questions become cards."
      : (s.due.length ? plural(s.due.length, "card") + " due today across " + plural(s.lessons, "lesson") : "Nothing due today") +
        ", " + s.newNow + " new" + (ahead ? "; studying ahead." : ".");
  }

  function show(card) {
    var box = R.root.querySelector(".sg-card"), typed = box.querySelector(".sg-card__typed");
    R.card = card;
    box.hidden = !card;
    R.root.querySelector('[data-sg-rv="ahead"]').hidden = !!card;
    if (!card) return finish();
    var number = card.anchor.replace(/^q-/, "").replace(/^fr-/, "further research ");
    var meta = box.querySelector(".sg-card__meta"), link = el("a", "", card.lesson.title + ", question " + number);
    link.href = card.lesson.url + "#" + card.anchor;
    meta.textContent = "";
    meta.append(link, " · " + (card.st ? "review" : "new") + " · " + plural(R.queue.length, "more card") + " after this one");
    box.querySelector(".sg-card__q").replaceChildren(fragment(card.q, card.lesson.url));
    var a = box.querySelector(".sg-card__a");
    a.replaceChildren(el("p", "", "Loading the answer…"));
    a.setAttribute("data-sg-loading", "");
    a.hidden = true;
    loadAnswers(card.lesson, function (ok) {
      if (R.card !== card) return;
      a.removeAttribute("data-sg-loading");
      if (ok) a.replaceChildren(fragment(card.a, card.lesson.url));
      else a.replaceChildren(el("p", "", "The answer could not be loaded: build the site again, or open this page from it."));
      if (!a.hidden && !typed.hidden) terms(box.querySelector(".sg-card__terms"), a, typed.value);
    });
    if (R.queue.length) loadAnswers(R.queue[0].lesson); // the next card's answer, ready before it is shown
    box.querySelector(".sg-card__terms").hidden = true;
    box.querySelector(".sg-card__grades").hidden = true;
    box.querySelector(".sg-card__reveal").hidden = false;
    typed.hidden = !R.root.querySelector("[data-sg-typed]").checked;
    typed.readOnly = false;
    typed.value = "";
    if (!typed.hidden) typed.focus();
    else if (R.root.contains(document.activeElement) && document.activeElement !== document.body) box.querySelector(".sg-card__reveal").focus();
  }

  function reveal() {
    var box = R.root.querySelector(".sg-card"), now = Date.now(), card = R.card, typed = box.querySelector(".sg-card__typed");
    if (!card || !box.querySelector(".sg-card__a").hidden) return;
    box.querySelector(".sg-card__a").hidden = false;
    box.querySelector(".sg-card__reveal").hidden = true;
    if (!typed.hidden) {
      typed.readOnly = true;
      // The answer's key terms; an answer still loading gives them when it comes (see show).
      if (!box.querySelector(".sg-card__a").hasAttribute("data-sg-loading")) terms(box.querySelector(".sg-card__terms"), box.querySelector(".sg-card__a"), typed.value);
    }
    var grades = box.querySelector(".sg-card__grades");
    [].forEach.call(grades.children, function (b) {
      var g = +b.getAttribute("data-sg-g");
      b.querySelector("small").textContent = ago(next(card.st || NEW, now, g).due - now);
    });
    var focused = box.contains(document.activeElement); // on the reveal button, now hidden: keep focus in the card
    grades.hidden = false;
    if (focused) grades.children[2].focus({ preventScroll: true });
  }

  function gradeCard(g) {
    var card = R.card, now = Date.now(), latest = Math.max.apply(null, [0].concat(card && card.log.map(function (r) { return r[0]; })));
    if (!card || R.root.querySelector(".sg-card__grades").hidden) return;
    if (now <= latest) {
      // The device's clock went back: a review dated before the last one would rewrite the card's history.
      now = latest + 1;
      note("This device's clock is behind your last review of this card: the new review was dated just after it.");
    }
    var rec = card.lesson.rec, e = (rec.c[card.key] = rec.c[card.key] || { t: card.text(), r: [] });
    e.r.push([now, g]);
    persist(card.lesson);
    refresh(card);
    R.tally[g]++;
    R.done++;
    // Cards in their first steps come back in this session (Again: a minute from now).
    if (card.st.due <= now + LEARN_AHEAD) R.queue.push(card);
    saveDue(card);
    show(R.queue.shift());
  }

  function finish() {
    var done = R.root.querySelector(".sg-rv__done"), now = Date.now(), cards = filtered();
    var upcoming = cards.filter(function (c) { return c.st && c.st.due > now; }).map(function (c) { return c.st.due; }).sort(function (a, b) { return a - b; });
    var tomorrow = startOfDay(now) + 2 * DAY, week = startOfDay(now) + 8 * DAY;
    var lines = [];
    if (R.done) {
      lines.push(
        "Session done: " + plural(R.done, "review") + " (Again " + R.tally[1] + ", Hard " + R.tally[2] + ", Good " + R.tally[3] + ", Easy " + R.tally[4] + ")."
      );
    } else lines.push("Nothing to review right now.");
    if (upcoming.length) {
      lines.push(
        "Next due: " + plural(upcoming.filter(function (t) { return t < tomorrow; }).length, "card") + " by tomorrow, " +
          plural(upcoming.filter(function (t) { return t < week; }).length, "card") + " within a week; the next one " +
          new Date(upcoming[0]).toLocaleString([], { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" }) + "."
      );
    }
    done.replaceChildren();
    lines.forEach(function (t) { done.appendChild(el("p", "", t)); });
    done.hidden = false;
    R.root.querySelector('[data-sg-rv="ahead"]').hidden = !cards.length;
    tell(cards, false);
  }

  // ---- type your answer first: the stored answer's key terms, found or missing in what was typed

  var STOP = {};
  "about above after again also because been before being below between both could does doing down during each every from further have having here into itself just more most much other over same should some such than that their them then there these they this those through under until very were what when where which while with would your yours will shall".split(" ").forEach(function (w) { STOP[w] = 1; });

  function stem(w) {
    return w.slice(0, 5);
  }

  function terms(box, answer, typed) {
    var said = {}, seen = {}, list = [];
    sg.normalise(typed).split(" ").forEach(function (w) { said[stem(w)] = 1; });
    var marked = [].map.call(answer.querySelectorAll("strong, b, em, code, mark"), function (e) { return sg.normalise(e.textContent); });
    var words = (marked.filter(Boolean).length > 1 ? marked : sg.normalise(answer.textContent).split(" ")).filter(function (t) {
      return t && t.length < 40 && (t.indexOf(" ") > 0 || t.length > 3 || /\d/.test(t)) && !STOP[t];
    });
    words.forEach(function (t) {
      if (seen[t] || list.length >= 12) return;
      seen[t] = 1;
      list.push({ t: t, found: t.split(" ").every(function (w) { return STOP[w] || said[stem(w)]; }) });
    });
    box.replaceChildren(el("span", "", "Key terms: "));
    list.forEach(function (x) {
      var chip = el("span", "sg-term " + (x.found ? "sg-term--found" : "sg-term--missing"), (x.found ? "✓ " : "✗ ") + x.t);
      chip.title = x.found ? "in your answer" : "not in your answer";
      box.append(chip, " ");
    });
    var found = list.filter(function (x) { return x.found; }).length;
    box.appendChild(el("span", "sg-term__sum", found + " of " + list.length + " found. Grade yourself: the words are only a hint."));
    box.hidden = !list.length;
  }

  // ---- the dashboard on the home page

  function mountDashboard(box) {
    var now = Date.now(), s = stats(course.cards, now);
    box.replaceChildren();
    if (course.blocked) box.textContent = "This browser does not let the site keep your progress: nothing to show here.";
    box.hidden = !course.blocked;
    if (!course.cards.length || course.blocked) return;
    var lead = el("p", "sg-dash__lead"), go = el("a", "md-button md-button--primary", s.due.length ? "Review now" : "Open the review");
    go.href = sg.cfg.review;
    lead.append(
      el("strong", "", s.due.length ? plural(s.due.length, "card") + " due" : "Nothing due"),
      (s.due.length ? " across " + plural(s.lessons, "lesson") : "") + " · " + s.newNow + " new today · " + streak(now),
      " ",
      go
    );
    box.appendChild(lead);
    box.appendChild(chart(now));
    var forgotten = course.cards
      .map(function (c) { return { c: c, n: c.log.filter(function (r) { return r[1] === 1; }).length }; })
      .filter(function (x) { return x.n; })
      .sort(function (a, b) { return b.n - a.n; })
      .slice(0, 10);
    if (forgotten.length) {
      var list = el("ol", "sg-dash__forgotten");
      forgotten.forEach(function (x) {
        var li = el("li"), a = el("a", "", plain(x.c.q));
        a.href = x.c.lesson.url + "#" + x.c.anchor;
        li.append(a, el("span", "", " forgotten " + (x.n === 1 ? "once" : x.n + " times")));
        list.appendChild(li);
      });
      box.append(el("h3", "", "Most often forgotten"), list);
    }
    box.hidden = false;
    // Each lesson's row: known, then due and new.
    course.lessons.forEach(function (l) {
      var cell = document.querySelector('.sg-progress[data-sg-lesson="' + CSS.escape(l.id) + '"]');
      if (!cell) return;
      var due = l.cards.filter(function (c) { return c.st && c.st.due <= now; }).length, fresh = l.cards.filter(function (c) { return !c.st; }).length;
      // Known as of the notes now: reviews of questions since deleted count no more.
      sg.fillCell(cell, l.cards.filter(function (c) { return sg.lastGrade(c.lesson.rec.c[c.key]) > 1; }).length);
      cell.appendChild(el("span", "sg-progress__more", " · " + due + " due · " + fresh + " new"));
    });
  }

  function streak(now) {
    var days = {}, n = 0, t = now;
    course.cards.forEach(function (c) {
      c.log.forEach(function (r) { days[dayKey(r[0])] = 1; });
    });
    if (!days[dayKey(t)]) t -= DAY; // today can still be studied: the streak is not broken yet
    while (days[dayKey(t)]) {
      n++;
      t = startOfDay(t) - DAY / 2;
    }
    return "streak " + plural(n, "day");
  }

  function chart(now) {
    var counts = [], max = 0, total = 0, first = startOfDay(now) - 89 * DAY;
    for (var i = 0; i < 90; i++) counts.push(0);
    course.cards.forEach(function (c) {
      c.log.forEach(function (r) {
        var i = Math.floor((startOfDay(r[0]) - first) / DAY + 0.5);
        if (i >= 0 && i < 90) counts[i]++;
      });
    });
    counts.forEach(function (n) {
      max = Math.max(max, n);
      total += n;
    });
    var NS = "http://www.w3.org/2000/svg", svg = document.createElementNS(NS, "svg"), fig = el("figure", "sg-dash__chart");
    svg.setAttribute("viewBox", "0 0 450 61");
    var axis = document.createElementNS(NS, "rect"); // the 90 days, so that one busy day reads as one day
    axis.setAttribute("y", 60);
    axis.setAttribute("width", 450);
    axis.setAttribute("height", 1);
    axis.setAttribute("opacity", 0.3);
    svg.appendChild(axis);
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", "Reviews per day over the last 90 days: " + total + " in all, " + max + " on the busiest day.");
    counts.forEach(function (n, i) {
      if (!n) return;
      var h = Math.max(2, (56 * n) / max), r = document.createElementNS(NS, "rect"), title = document.createElementNS(NS, "title");
      r.setAttribute("x", i * 5);
      r.setAttribute("y", 60 - h);
      r.setAttribute("width", 4);
      r.setAttribute("height", h);
      title.textContent = new Date(first + i * DAY + DAY / 2).toLocaleDateString() + ": " + plural(n, "review");
      r.appendChild(title);
      svg.appendChild(r);
    });
    fig.append(svg, el("figcaption", "", "Reviews per day, last 90 days (" + total + " in all)"));
    return fig;
  }

  // ---- export and import: the reviews themselves, merged so that none is counted twice

  var FORMAT_NAME = "study-guide-progress", VERSION = 2;

  function records() {
    // Every lesson this browser holds progress for on this site, the ones no longer in the notes too.
    var prefix = sg.storeKey(sg.site, ""), out = {};
    for (var i = 0; i < window.localStorage.length; i++) {
      var k = window.localStorage.key(i);
      if (k.indexOf(prefix) === 0 && k.indexOf("~") < 0) out[k.slice(prefix.length)] = sg.load(k).rec;
    }
    return out;
  }

  function exportFile() {
    var lessons = {}, all;
    try {
      all = records();
    } catch (e) {
      return note("This browser does not let the site read its storage: there is nothing to export.");
    }
    Object.keys(all).forEach(function (id) {
      var cards = {};
      Object.keys(all[id].c).forEach(function (k) {
        var e = all[id].c[k];
        cards[k] = { question: e.t, reviews: e.r.map(function (r) { return [new Date(r[0]).toISOString(), r[1]]; }) };
      });
      lessons[id] = { cards: cards };
    });
    var doc = { format: FORMAT_NAME, version: VERSION, site: sg.site, exported: new Date().toISOString(), lessons: lessons };
    var a = el("a"), url = URL.createObjectURL(new Blob([JSON.stringify(doc, null, 1)], { type: "application/json" }));
    a.href = url;
    a.download = "study-progress-" + dayKey(Date.now()) + ".json";
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
    note("Exported " + plural(Object.keys(lessons).length, "lesson") + " of progress to " + a.download + ".");
  }

  /* Merge a parsed export into this browser's records. Returns what happened, in words. */
  function merge(doc) {
    if (!sg.isObject(doc) || doc.format !== FORMAT_NAME || !sg.isObject(doc.lessons)) return "This file is not a progress export of a study site: nothing was imported.";
    if (typeof doc.version !== "number" || doc.version > VERSION) return "This file was made by a newer version of the site: nothing was imported. Update the site first.";
    if (doc.site !== sg.site) return "This file holds progress for “" + String(doc.site) + "”, not for this site (“" + sg.site + "”): nothing was imported.";
    var added = 0, had = 0, bad = 0, lessons = 0, known = {}, gone = 0;
    (course ? course.cards : []).forEach(function (c) { known[c.lesson.id + "/" + c.key] = 1; });
    Object.keys(doc.lessons).forEach(function (id) {
      var l = doc.lessons[id], key = sg.storeKey(sg.site, id), stored = sg.load(key), n = added;
      if (stored.blocked || stored.newer || !sg.isObject(l) || !sg.isObject(l.cards)) return bad++;
      Object.keys(l.cards).forEach(function (k) {
        var e = l.cards[k];
        if (!sg.KEY.test(k) || !sg.isObject(e) || !Array.isArray(e.reviews)) return bad++;
        var mine = (stored.rec.c[k] = stored.rec.c[k] || { t: typeof e.question === "string" ? e.question : "", r: [] }), have = {};
        mine.r.forEach(function (r) { have[r[0] + "/" + r[1]] = 1; });
        e.reviews.forEach(function (x) {
          var r = Array.isArray(x) ? [typeof x[0] === "string" ? Date.parse(x[0]) : x[0], x[1]] : null;
          if (!r || !sg.isReview(r)) return bad++;
          if (have[r[0] + "/" + r[1]]) return had++;
          have[r[0] + "/" + r[1]] = 1;
          mine.r.push(r);
          added++;
          if (course && !known[id + "/" + k]) gone++;
        });
        mine.r.sort(function (a, b) { return a[0] - b[0]; });
        if (!mine.r.length) delete stored.rec.c[k];
      });
      if (added > n) {
        lessons++;
        if (!sg.write(key, stored.rec)) bad += added - n;
      }
    });
    var out = "Imported " + plural(added, "review") + " into " + plural(lessons, "lesson") + (had ? "; " + had + " were already here" : "") + ".";
    if (gone) out += " " + plural(gone, "review") + " of questions no longer in the notes " + (gone === 1 ? "was" : "were") + " kept aside.";
    if (bad) out += " " + plural(bad, "entry", "entries") + " could not be read or saved and " + (bad === 1 ? "was" : "were") + " skipped.";
    return out;
  }

  function importFile(input) {
    var file = input.files && input.files[0];
    input.value = ""; // choosing the same file again is a new import
    if (!file) return;
    file.text().then(function (text) {
      var doc;
      try {
        doc = JSON.parse(text);
      } catch (e) {
        return note("“" + file.name + "” is not a progress export (not JSON): nothing was imported.");
      }
      var said = merge(doc);
      course = null;
      mount();
      note(said);
    });
  }

  function note(text) {
    var box = document.querySelector(".sg-rv__note");
    if (box) box.textContent = text;
    if (box) box.closest("details").open = true;
  }

  // ---- wiring: bound once; the page on screen is looked up at each event (instant navigation)

  function mount() {
    var review = document.querySelector(".sg-review"), dash = document.querySelector(".sg-dashboard");
    if (!review && !dash) return;
    if (!course)
      return loadCards(function (data) {
        if (!data || !Array.isArray(data.lessons)) {
          if (review) review.textContent = "The cards of this site could not be loaded: build the site again.";
          return;
        }
        course = build(data);
        saveDue();
        mount();
      });
    if (review) mountReview(review);
    if (dash) mountDashboard(dash);
  }

  function live() {
    return R && R.root.isConnected;
  }

  document.addEventListener("click", function (e) {
    var b = live() && e.target.closest && e.target.closest("[data-sg-rv], [data-sg-g]");
    if (!b || !R.root.contains(b)) return;
    var act = b.getAttribute("data-sg-rv");
    if (b.hasAttribute("data-sg-g")) gradeCard(+b.getAttribute("data-sg-g"));
    else if (act === "reveal") reveal();
    else if (act === "ahead") start(true);
    else if (act === "export") exportFile();
  });

  document.addEventListener("change", function (e) {
    if (!live() || !R.root.contains(e.target)) return;
    if (e.target.hasAttribute("data-sg-import")) importFile(e.target);
    else if (e.target.hasAttribute("data-sg-filter")) start(false);
    else if (e.target.hasAttribute("data-sg-typed") && R.card) show(R.card);
  });

  document.addEventListener("keydown", function (e) {
    if (!live() || !R.card || e.defaultPrevented || e.altKey || e.metaKey || e.isComposing) return;
    var t = e.target, typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
    var search = document.querySelector("[data-md-toggle=search]");
    if (search && search.checked) return;
    if (e.key === "Enter" && e.ctrlKey && t.classList.contains("sg-card__typed")) reveal();
    else if (typing || e.ctrlKey) return;
    else if (e.key === " " && !/^(BUTTON|A|SUMMARY)$/.test(t.tagName)) reveal();
    else if (/^[1-4]$/.test(e.key)) gradeCard(+e.key);
    else return;
    e.preventDefault();
  });

  sg.ready({ mount: mount, graded: graded, next: next, replay: replay, rematch: rematch });
})();
