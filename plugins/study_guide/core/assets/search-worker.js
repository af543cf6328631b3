/*! Parts of this file come from Material for MkDocs (MIT, (c) Martin Donath) and lunr.js 2.3.9 (MIT,
 * (c) Oliver Nightingale): see core/vendor/README.md in the study guide's source. */
/*
 * The site's search worker, in place of Material's: it speaks Material's messages (SETUP → READY,
 * QUERY → RESULT, see Material's integrations/search/worker) over the chunked index the build writes
 * (core/search_chunks.py), so the browser neither downloads every entry nor builds a lunr index.
 * SETUP brings the head (config.study_guide) and nothing else: the worker is ready at once. A query
 * loads the term chunks of its words, ranks every entry they are in, and loads the entries of the
 * first pages only. Chunks are scripts (importScripts): they load over http and, in the iframe
 * Material runs a worker in on file://, from disk.
 *
 * Query syntax is Material's: words match as prefixes, "+word" must be in a result, "-word" must
 * not, "title:word" looks in one field, quotes make every word required. Unlike lunr, a word also
 * finds the other forms of its stem ("networks" finds "network"), a one-letter word matches the
 * words of its letter in one chunk only (the first), and there is no fuzzy matching ("~1" is
 * ignored): a fuzzy match needs the whole vocabulary.
 */
(function () {
  "use strict";

  var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3, LOAD_TIMEOUT_MS = 10000;
  var FULL_PAGES = 10; // Material shows ten pages before the learner scrolls: these get their sections
  var K1 = 1.2; // BM25, as lunr; Material sets b to 0 (no length normalisation), so do we
  var WORD = /^[^\p{L}\p{N}_]+|[^\p{L}\p{N}_]+$/gu; // lunr's trimmer, for every alphabet

  var head = null, separator = /[\s\-]+/, fields = {}, suggest = false, stopWords = false;
  // Maps without a prototype: a word of the site may be "constructor" or "toString".
  var shards = Object.create(null), pages = null, chunkFirst = [], rows = [], stems = Object.create(null);
  var latest = 0, queue = Promise.resolve();

  // Each chunk of the index is a script that hands its data here.
  self.sgSearchShard = function (name, data) {
    shards[name] = data;
  };

  // Where this script is: in Material's iframe shim it is the one script with a source.
  function base() {
    var script = typeof document !== "undefined" && document.querySelector("script[src]");
    return script ? script.src : self.location.href;
  }

  // A worker over http fetches the chunks side by side and reads on while they come (importScripts loads one after
  // the other, and nothing else runs meanwhile); Material's iframe shim on file://, where fetch is not allowed,
  // has importScripts only.
  var FETCH = !self.document && /^http/.test(location.protocol);

  function load(names) {
    var missing = names.filter(function (name, k) { return !(name in shards) && names.indexOf(name) === k; });
    if (!missing.length) return Promise.resolve();
    var at = base();
    var urls = missing.map(function (name) {
      return new URL("../../search/sg/" + name + ".js?v=" + head.v, at).href;
    });
    try {
      // A Promise in Material's iframe shim, which never settles for a file that is not there (a rebuild removed
      // it): a search waits for it so long, then fails, and the next one can run.
      var loaded = FETCH ? Promise.all(urls.map(fetchShard)) : Promise.resolve(importScripts.apply(self, urls));
      return Promise.race([loaded, new Promise(function (_, fail) {
        setTimeout(function () { fail(new Error("search chunks did not load: " + urls.join(" "))); }, LOAD_TIMEOUT_MS);
      })]);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  // A chunk's script, sgSearchShard("name",DATA); read as the call would be made: DATA is JSON but for a term
  // "__proto__", written as a computed key (see core/search_chunks.py). JSON.parse makes it a key like any other.
  function fetchShard(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error(url + " " + response.status);
      return response.text();
    }).then(function (text) {
      var call = JSON.parse("[" + text.slice(text.indexOf("(") + 1, text.lastIndexOf(")")).replace('["__proto__"]:', '"__proto__":') + "]");
      shards[call[0]] = call[1];
    });
  }

  function setup(data) {
    var config = data.config || {};
    head = config.study_guide || null;
    separator = new RegExp(config.separator || "[\\s\\-]+");
    fields = config.fields || {};
    suggest = !!(data.options && data.options.suggest);
    stopWords = (config.pipeline || []).indexOf("stopWordFilter") >= 0;
  }

  /* Material's split (integrations/search/internal, MIT, © Martin Donath): ranges between separators. */
  function split(input, pattern, fn) {
    var re = new RegExp(pattern.source, "g"), match, index = 0;
    do {
      match = re.exec(input);
      var until = match ? match.index : input.length;
      if (index < until) fn(index, until);
      if (match) {
        index = match.index + match[0].length;
        if (match[0].length === 0) re.lastIndex = match.index + 1;
      }
    } while (match);
  }

  /* Material's query transform, steps 1 to 4 (integrations/search/query/transform, MIT, © Martin Donath). */
  function parts(query) {
    return query
      .trim()
      .split(/"([^"]+)"/g)
      .map(function (part, index) {
        return index & 1 ? part.replace(/^\b|^(?![^\x00-\x7F]|$)|\s+/g, " +") : part;
      })
      .join("")
      .replace(/"|(?:^|\s+)[*+\-:^~]+(?=\s+|$)/g, "")
      .split(/\s+/g);
  }

  function trim(word) {
    return word.toLowerCase().replace(WORD, "");
  }

  // The query's words: {term, stem, presence (0 may, 1 must, 2 must not), field}.
  function clauses(query) {
    var out = [];
    parts(query).forEach(function (part) {
      var m = /^([+-]?)(?:(title|text|tags):)?(.*)$/.exec(part);
      var presence = m[1] === "+" ? 1 : m[1] === "-" ? 2 : 0;
      var word = m[3].replace(/[~^]\d*$/, "").replace(/\*/g, "").replace(/:/g, " ");
      split(word, separator, function (start, end) {
        word.slice(start, end).split(" ").forEach(function (piece) {
          var term = trim(piece);
          if (term) out.push({ term: term, stem: stem(term), presence: presence, field: m[2] || "" });
        });
      });
    });
    return out;
  }

  function stem(word) {
    if (!(word in stems)) stems[word] = porterStemmer(word);
    return stems[word];
  }

  // The term chunks that hold words starting with prefix (only the word itself, when exact).
  function chunksFor(prefix, exact) {
    var firsts = head.t, lo = 0, hi = firsts.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (firsts[mid] <= prefix) lo = mid;
      else hi = mid - 1;
    }
    var names = ["t" + lo];
    for (var k = lo + 1; !exact && k < firsts.length && firsts[k].indexOf(prefix) === 0; k++) names.push("t" + k);
    return names;
  }

  // How well a term of the index stands for a clause: 1 the word or another form of its stem, 0.5 a longer word.
  function weight(term, clause) {
    if (term === clause.term) return 1;
    // One letter loads the first chunk of its words only: they stand for all of them while the learner types on.
    if (term.indexOf(clause.term) === 0) return clause.term.length > 1 && stem(term) === clause.stem ? 1 : 0.5;
    if (clause.term.length < 2) return 0;
    return term.indexOf(clause.stem) === 0 && stem(term) === clause.stem ? 1 : 0;
  }

  // Each posting: the entry's id less the previous one's, in base 36, then a letter for its fields.
  function postings(text, fn) {
    var id = 0, n = 0;
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      if (c >= 65 && c <= 90) {
        id += n;
        fn(id, c - 65);
        n = 0;
      } else n = n * 36 + (c <= 57 ? c - 48 : c - 87);
    }
  }

  function boost(name) {
    return fields[name] && typeof fields[name].boost === "number" ? fields[name].boost : 1;
  }

  // Every entry a clause matches: id → {score, title terms, other forms (words found by their stem only)}.
  function match(clause) {
    var found = new Map(), names = chunksFor(clause.term, clause.term.length < 2);
    if (clause.stem !== clause.term && clause.term.length > 1) names = names.concat(chunksFor(clause.stem, false));
    var seen = Object.create(null);
    names.forEach(function (name) {
      var chunk = shards[name];
      for (var term in chunk) {
        if (seen[term]) continue;
        seen[term] = 1;
        var w = weight(term, clause);
        if (!w) continue;
        var text = chunk[term], df = text.replace(/[^A-Z]/g, "").length;
        var idf = Math.log(1 + Math.abs(head.n - df + 0.5) / (df + 0.5));
        postings(text, function (id, code) {
          var tf = code >> 2, inTitle = code & 2, inTags = code & 1, f = clause.field;
          var s = 0;
          if (tf && (!f || f === "text")) s += (boost("text") * (K1 + 1) * tf) / (K1 + tf);
          if (inTitle && (!f || f === "title")) s += boost("title");
          if (inTags && (!f || f === "tags")) s += boost("tags");
          if (!s) return;
          var hit = found.get(id);
          if (!hit) found.set(id, (hit = { score: 0, title: [], forms: [] }));
          hit.score += w * idf * s;
          if (inTitle) hit.title.push(term);
          if (term.indexOf(clause.term) !== 0) hit.forms.push(term);
        });
      }
    });
    return found;
  }

  function docBoost(id) {
    for (var k = 0; k < head.b.length; k++) if (id >= head.b[k][0] && id < head.b[k][1]) return head.b[k][2];
    return 1;
  }

  function pageOf(id) {
    var lo = 0, hi = pages.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (pages[mid][2] <= id) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  // A query's result, or null when a newer query came while its words' chunks loaded.
  function search(query, n) {
    if (!head) return Promise.resolve({ items: [] });
    var all = clauses(query);
    var wanted = all.filter(function (c) { return c.presence !== 2; });
    if (!wanted.length) return Promise.resolve({ items: [] });
    var names = ["pages"];
    all.forEach(function (c) {
      names = names.concat(chunksFor(c.term, c.term.length < 2));
      if (c.stem !== c.term && c.term.length > 1) names = names.concat(chunksFor(c.stem, false));
    });
    return load(names).then(function () {
      if (n !== latest) return null; // the learner typed on ("p" of "pooling"): the newer query loads what it needs
      if (!pages) {
        pages = shards.pages;
        pages.forEach(function (page, p) { if (chunkFirst[page[3]] === undefined) chunkFirst[page[3]] = p; });
      }
      return rank(all, wanted);
    });
  }

  function rank(all, wanted) {
    var matches = all.map(match);
    var required = all.filter(function (c) { return c.presence === 1; });
    var ids = new Set();
    all.forEach(function (c, k) {
      if (c.presence === (required.length ? 1 : 0)) matches[k].forEach(function (_, id) { ids.add(id); });
    });
    var hits = [];
    ids.forEach(function (id) {
      var score = 0, terms = Object.create(null), counted = 0, matched = 0, forms = [];
      for (var k = 0; k < all.length; k++) {
        var hit = matches[k].get(id), c = all[k];
        if (c.presence === 2 && hit) return;
        if (c.presence === 1 && !hit) return;
        if (c.presence === 2) continue;
        if (hit) {
          score += hit.score;
          terms[c.term] = true;
          forms = forms.concat(hit.forms);
        } else if (!(c.term in terms) && STOP.indexOf(c.term) < 0) terms[c.term] = false;
      }
      // Material's boosts after the query: a page over its sections, an entry with every word over the rest.
      for (var t in terms) {
        counted++;
        if (terms[t]) matched++;
      }
      // Material marks the words of the target page that start with a true term (?h=): "runs" must mark "running".
      forms.forEach(function (form) { terms[form] = true; });
      var page = pageOf(id), extra = (pages[page][2] === id ? 1 : 0) + (counted ? matched / counted : 0);
      hits.push({ id: id, page: page, terms: terms, score: score * docBoost(id) * (1 + extra * extra) });
    });
    hits.sort(function (a, b) { return b.score - a.score || a.id - b.id; });
    var groups = new Map();
    hits.forEach(function (hit) {
      if (!groups.has(hit.page)) groups.set(hit.page, []);
      groups.get(hit.page).push(hit);
    });
    var order = Array.from(groups.keys()), full = order.slice(0, FULL_PAGES);
    var needed = full.map(function (page) { return "d" + pages[page][3]; });
    return load(needed).then(function () {
      return Promise.all(full.map(inflate));
    }).then(function () {
      var items = order.map(function (page, k) {
        var group = groups.get(page), path = pages[page][0];
        if (k >= FULL_PAGES) {
          // Past the first pages only the page itself is shown, as found by its best entry.
          return [{ location: path, title: pages[page][1], text: "", score: group[0].score, terms: group[0].terms }];
        }
        var items = group.map(function (hit) { return item(hit.id, hit.score, hit.terms, wanted); });
        if (!group.some(function (hit) { return hit.id === pages[page][2]; })) items.push(item(pages[page][2], 0, found(group[0].terms), []));
        return items;
      });
      var result = { items: items };
      if (suggest) result.suggest = suggestion(hits, matches, all);
      return result;
    });
  }

  // The words a hit has (not those it misses): the page listed above its sections opens with them marked (?h=), as
  // Material's lunr page would, whose own entry held every word of the page.
  function found(terms) {
    var out = Object.create(null);
    for (var t in terms) if (terms[t]) out[t] = true;
    return out;
  }

  // A page's entries, from its chunk: deflated (raw, base64) at build time, inflated once here.
  function inflate(p) {
    if (rows[p]) return Promise.resolve();
    var k = pages[p][3], text = atob(shards["d" + k][p - chunkFirst[k]]), bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
    return new Response(stream).json().then(function (found) { rows[p] = found; });
  }

  function item(id, score, terms, wanted) {
    var p = pageOf(id), page = pages[p], row = rows[p][id - page[2]];
    var out = { location: page[0] + row[0], title: mark(row[1], wanted), text: mark(row[2], wanted), score: score, terms: terms };
    if (row[3]) out.tags = row[3].map(escapeHtml); // Material writes a result's tags as HTML: a tag is the learner's text
    return out;
  }

  function escapeHtml(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  // As Material's: the words of the best entry whose title has every word, the last word's completion last.
  function suggestion(hits, matches, all) {
    for (var h = 0; h < hits.length; h++) {
      var words = [], complete = true;
      for (var k = 0; k < all.length && complete; k++) {
        if (all[k].presence === 2) continue;
        var hit = matches[k].get(hits[h].id);
        if (!hit || !hit.title.length) complete = false;
        else words.push(hit.title.slice().sort(function (a, b) { return a.length - b.length || (a < b ? -1 : 1); })[0]);
      }
      if (complete && words.length) return words;
    }
    return [];
  }

  // The words of a title or teaser that the query found, in <mark>, as Material's worker marks them.
  function mark(html, wanted) {
    if (!wanted.length) return html;
    return html.replace(/[^<]+|<[^>]*>/g, function (text) {
      if (text.charAt(0) === "<") return text;
      var out = "", at = 0;
      split(text, separator, function (start, end) {
        var token = text.slice(start, end);
        if (token.indexOf("&") >= 0) return; // an entity: its letters are no word of the text
        var lead = token.length - token.replace(/^[^\p{L}\p{N}_]+/u, "").length;
        var core = token.slice(lead).replace(/[^\p{L}\p{N}_]+$/u, "");
        var word = core.toLowerCase();
        if (!core || (stopWords && STOP.indexOf(word) >= 0)) return;
        if (!wanted.some(function (c) { return weight(word, c) > 0; })) return; // marked as matched: one rule
        out += text.slice(at, start + lead) + "<mark>" + core + "</mark>";
        at = start + lead + core.length;
      });
      return out + text.slice(at);
    });
  }

  addEventListener("message", function (event) {
    var message = event.data;
    if (message.type === SETUP) {
      setup(message.data);
      postMessage({ type: READY });
    } else if (message.type === QUERY) {
      var n = ++latest;
      queue = queue.then(function () {
        if (n !== latest) return; // a newer query waits: only its result will be shown
        return search(message.data, n)
          .catch(function (error) {
            console.warn("Search failed: " + message.data, error);
            return { items: [] };
          })
          .then(function (result) {
            if (result && n === latest) postMessage({ type: RESULT, data: result });
          });
      });
    }
  });

  // lunr's English stop words (lunr.js 2.3.9, MIT, © Oliver Nightingale): the index leaves them out.
  var STOP = (
    "a able about across after all almost also am among an and any are as at be because been but by can cannot " +
    "could dear did do does either else ever every for from get got had has have he her hers him his how however " +
    "i if in into is it its just least let like likely may me might most must my neither no nor not of off often " +
    "on only or other our own rather said say says she should since so some than that the their them then there " +
    "these they this tis to too twas us wants was we were what when where which while who whom why will with " +
    "would yet you your"
  ).split(" ");

  /*
   * The Porter stemmer of lunr.js 2.3.9 (lunr.stemmer), Copyright (C) 2020 Oliver Nightingale, MIT licence
   * (see core/vendor/README.md); itself after Martin Porter's algorithm and Jeff Larson's JavaScript of it.
   */
  var porterStemmer = (function () {
    var step2list = {
      ational: "ate", tional: "tion", enci: "ence", anci: "ance", izer: "ize", bli: "ble", alli: "al",
      entli: "ent", eli: "e", ousli: "ous", ization: "ize", ation: "ate", ator: "ate", alism: "al",
      iveness: "ive", fulness: "ful", ousness: "ous", aliti: "al", iviti: "ive", biliti: "ble", logi: "log"
    };
    var step3list = { icate: "ic", ative: "", alize: "al", iciti: "ic", ical: "ic", ful: "", ness: "" };
    var c = "[^aeiou]", v = "[aeiouy]", C = c + "[^aeiouy]*", V = v + "[aeiou]*";
    var re_mgr0 = new RegExp("^(" + C + ")?" + V + C);
    var re_meq1 = new RegExp("^(" + C + ")?" + V + C + "(" + V + ")?$");
    var re_mgr1 = new RegExp("^(" + C + ")?" + V + C + V + C);
    var re_s_v = new RegExp("^(" + C + ")?" + v);
    var re_1a = /^(.+?)(ss|i)es$/, re2_1a = /^(.+?)([^s])s$/, re_1b = /^(.+?)eed$/, re2_1b = /^(.+?)(ed|ing)$/;
    var re_1b_2 = /.$/, re2_1b_2 = /(at|bl|iz)$/, re3_1b_2 = new RegExp("([^aeiouylsz])\\1$");
    var re4_1b_2 = new RegExp("^" + C + v + "[^aeiouwxy]$");
    var re_1c = /^(.+?[^aeiou])y$/;
    var re_2 = /^(.+?)(ational|tional|enci|anci|izer|bli|alli|entli|eli|ousli|ization|ation|ator|alism|iveness|fulness|ousness|aliti|iviti|biliti|logi)$/;
    var re_3 = /^(.+?)(icate|ative|alize|iciti|ical|ful|ness)$/;
    var re_4 = /^(.+?)(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|ate|iti|ous|ive|ize)$/;
    var re2_4 = /^(.+?)(s|t)(ion)$/;
    var re_5 = /^(.+?)e$/, re_5_1 = /ll$/, re3_5 = new RegExp("^" + C + v + "[^aeiouwxy]$");

    return function (w) {
      var stem, suffix, firstch, fp;
      if (w.length < 3) return w;
      firstch = w.substr(0, 1);
      if (firstch == "y") w = firstch.toUpperCase() + w.substr(1);
      if (re_1a.test(w)) w = w.replace(re_1a, "$1$2");
      else if (re2_1a.test(w)) w = w.replace(re2_1a, "$1$2");
      if (re_1b.test(w)) {
        fp = re_1b.exec(w);
        if (re_mgr0.test(fp[1])) w = w.replace(re_1b_2, "");
      } else if (re2_1b.test(w)) {
        fp = re2_1b.exec(w);
        stem = fp[1];
        if (re_s_v.test(stem)) {
          w = stem;
          if (re2_1b_2.test(w)) w = w + "e";
          else if (re3_1b_2.test(w)) w = w.replace(re_1b_2, "");
          else if (re4_1b_2.test(w)) w = w + "e";
        }
      }
      if (re_1c.test(w)) {
        fp = re_1c.exec(w);
        w = fp[1] + "i";
      }
      if (re_2.test(w)) {
        fp = re_2.exec(w);
        stem = fp[1];
        suffix = fp[2];
        if (re_mgr0.test(stem)) w = stem + step2list[suffix];
      }
      if (re_3.test(w)) {
        fp = re_3.exec(w);
        stem = fp[1];
        suffix = fp[2];
        if (re_mgr0.test(stem)) w = stem + step3list[suffix];
      }
      if (re_4.test(w)) {
        fp = re_4.exec(w);
        if (re_mgr1.test(fp[1])) w = fp[1];
      } else if (re2_4.test(w)) {
        fp = re2_4.exec(w);
        stem = fp[1] + fp[2];
        if (re_mgr1.test(stem)) w = stem;
      }
      if (re_5.test(w)) {
        fp = re_5.exec(w);
        stem = fp[1];
        if (re_mgr1.test(stem) || (re_meq1.test(stem) && !re3_5.test(stem))) w = stem;
      }
      if (re_5_1.test(w) && re_mgr1.test(w)) w = w.replace(re_1b_2, "");
      if (firstch == "y") w = firstch.toLowerCase() + w.substr(1);
      return w;
    };
  })();
})();
