/* Client-side search over the index that static/search-index.js puts in
   window.BRIEFING_SEARCH (a script, not a fetch: fetch is refused on file:// pages).
   No library, no request: results are built as DOM nodes, text set with textContent. */
(function () {
  "use strict";
  var data = window.BRIEFING_SEARCH;
  var form = document.getElementById("search-form");
  var off = document.getElementById("search-off");
  var status = document.getElementById("search-status");
  var results = document.getElementById("search-results");
  if (!form || !status || !results) return;
  if (!data) {
    status.textContent = "The search index could not be loaded: rebuild the site.";
    return;
  }
  off.hidden = true;
  form.hidden = false;

  var SHOWN = 20; // results per group before "show all"
  var field = {
    q: document.getElementById("q"),
    leader: document.getElementById("f-leader"),
    topic: document.getElementById("f-topic"),
    year: document.getElementById("f-year"),
  };

  // One character in, one character out, so that match positions in the folded text
  // are positions in the original text too (for highlighting).
  var SAME = { "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2010": "-",
               "\u2011": "-", "\u2013": "-", "\u2014": "-", "\u00a0": " " };
  function fold(text) {
    var out = "";
    for (var i = 0; i < text.length; i++) {
      var c = text[i];
      var f = SAME[c];
      if (f === undefined) {
        f = c.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
        if (f.length !== 1) f = f.length ? f[0] : c;
      }
      out += f;
    }
    return out;
  }

  function terms(query) {
    var out = [];
    var re = /"([^"]+)"|(\S+)/g;
    var m;
    var q = fold(query);
    while ((m = re.exec(q)) !== null) {
      var t = (m[1] || m[2]).trim();
      if (t) out.push(t);
    }
    return out;
  }

  function names(list, refs) {
    return refs.map(function (i) { return list[i][1]; });
  }

  // documents with their folded fields, made once
  var articles = data.articles.map(function (a, n) {
    var speakers = names(data.leaders, a.l);
    var topics = names(data.topics, a.k);
    return {
      kind: "article", n: n, a: a, speakers: speakers, topics: topics,
      fields: [[fold(a.t), 5], [fold(speakers.join(" | ")), 3],
               [fold(topics.join(" | ")), 3], [fold(a.o), 1]],
    };
  });
  var statements = data.statements.map(function (s, n) {
    var speaker = data.leaders[s.l][1];
    var topics = names(data.topics, s.k);
    return {
      kind: "statement", n: n, s: s, art: data.articles[s.a], speaker: speaker, topics: topics,
      fields: [[fold(s.x), 2], [fold(speaker), 3], [fold(topics.join(" | ")), 3]],
    };
  });

  function index(list, slug) {
    for (var i = 0; i < list.length; i++) if (list[i][0] === slug) return i;
    return -1;
  }

  function score(doc, words) {
    var total = 0;
    for (var w = 0; w < words.length; w++) {
      var best = 0;
      for (var f = 0; f < doc.fields.length; f++) {
        if (doc.fields[f][1] > best && doc.fields[f][0].indexOf(words[w]) !== -1) {
          best = doc.fields[f][1];
        }
      }
      if (!best) return 0;
      total += best;
    }
    return total || 1;
  }

  function passes(leaders, topics, years, want) {
    if (want.leader >= 0 && leaders.indexOf(want.leader) === -1) return false;
    if (want.topic >= 0 && topics.indexOf(want.topic) === -1) return false;
    if (want.year && years.indexOf(want.year) === -1) return false;
    return true;
  }

  function find(list, words, want, filters) {
    var hits = [];
    for (var i = 0; i < list.length; i++) {
      var doc = list[i];
      if (!filters(doc, want)) continue;
      var s = words.length ? score(doc, words) : 1;
      if (s) hits.push([s, doc]);
    }
    hits.sort(function (x, y) { return y[0] - x[0] || x[1].n - y[1].n; });
    return hits.map(function (h) { return h[1]; });
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // text with every occurrence of the search words in <mark>
  function marked(parent, text, words) {
    var folded = fold(text);
    var spans = [];
    words.forEach(function (w) {
      var at = folded.indexOf(w);
      while (at !== -1) {
        spans.push([at, at + w.length]);
        at = folded.indexOf(w, at + w.length);
      }
    });
    spans.sort(function (x, y) { return x[0] - y[0]; });
    var pos = 0;
    spans.forEach(function (sp) {
      if (sp[1] <= pos) return;
      var start = Math.max(sp[0], pos);
      if (start > pos) parent.appendChild(document.createTextNode(text.slice(pos, start)));
      parent.appendChild(el("mark", null, text.slice(start, sp[1])));
      pos = sp[1];
    });
    if (pos < text.length) parent.appendChild(document.createTextNode(text.slice(pos)));
    return parent;
  }

  function articleItem(doc, words) {
    var a = doc.a;
    var li = el("li", "result");
    var title = el("p", "result-title");
    var link = el("a");
    link.href = a.u;
    marked(link, a.t, words);
    title.appendChild(link);
    li.appendChild(title);
    var when = [a.o, a.d].filter(Boolean).join(" · ");
    if (when) li.appendChild(el("p", "meta", when));
    if (doc.speakers.length) li.appendChild(marked(el("p", "meta"), "Speakers: " + doc.speakers.join(", "), words));
    if (doc.topics.length) li.appendChild(marked(el("p", "meta"), "Themes: " + doc.topics.join(", "), words));
    return li;
  }

  function statementItem(doc, words) {
    var s = doc.s;
    var li = el("li", "result statement");
    var quote = el("blockquote");
    quote.appendChild(marked(el("p"), s.x, words));
    li.appendChild(quote);
    var source = el("p", "source");
    source.appendChild(marked(el("strong"), doc.speaker, words));
    source.appendChild(document.createTextNode(" in "));
    var link = el("a", null, doc.art.t);
    link.href = s.u;
    source.appendChild(link);
    var extra = [doc.art.d, s.q === "direct" ? "direct quote" : s.q === "mixed" ? "partly quoted" : ""];
    extra = extra.filter(Boolean);
    if (extra.length) source.appendChild(document.createTextNode(" · " + extra.join(" · ")));
    li.appendChild(source);
    if (doc.topics.length) li.appendChild(marked(el("p", "meta"), "Themes: " + doc.topics.join(", "), words));
    return li;
  }

  function group(id, label, docs, words, item) {
    var section = el("section", "result-group");
    section.setAttribute("aria-labelledby", id);
    var h = el("h2", null, label + " (" + docs.length + ")");
    h.id = id;
    section.appendChild(h);
    var list = el("ol", "result-list");
    docs.slice(0, SHOWN).forEach(function (d) { list.appendChild(item(d, words)); });
    section.appendChild(list);
    if (docs.length > SHOWN) {
      var more = el("button", "more-results", "Show all " + docs.length + " " + label.toLowerCase());
      more.type = "button";
      more.addEventListener("click", function () {
        docs.slice(SHOWN).forEach(function (d) { list.appendChild(item(d, words)); });
        more.remove();
        list.children[SHOWN].querySelector("a").focus();
      });
      section.appendChild(more);
    }
    return section;
  }

  function plural(n, word) {
    return n + " " + word + (n === 1 ? "" : "s");
  }

  function run() {
    var words = terms(field.q.value);
    var want = {
      leader: field.leader.value ? index(data.leaders, field.leader.value) : -1,
      topic: field.topic.value ? index(data.topics, field.topic.value) : -1,
      year: field.year.value,
    };
    results.textContent = "";
    if (!words.length && want.leader < 0 && want.topic < 0 && !want.year) {
      status.textContent = "Type words to find, or choose a filter.";
      return;
    }
    var arts = find(articles, words, want, function (d, w) {
      return passes(d.a.l, d.a.k, d.a.y, w);
    });
    var stmts = find(statements, words, want, function (d, w) {
      return passes([d.s.l], d.s.k, d.art.y, w);
    });
    if (!arts.length && !stmts.length) {
      status.textContent = "Nothing found. Try fewer words or other filters.";
      return;
    }
    status.textContent = "Found " + plural(arts.length, "article") + " and " +
      plural(stmts.length, "statement") + ".";
    if (arts.length) results.appendChild(group("r-articles", "Articles", arts, words, articleItem));
    if (stmts.length) results.appendChild(group("r-statements", "Statements", stmts, words, statementItem));
  }

  function remember() {
    var params = [];
    ["q", "leader", "topic", "year"].forEach(function (k) {
      if (field[k].value) params.push(k + "=" + encodeURIComponent(field[k].value));
    });
    try {
      history.replaceState(null, "", params.length ? "?" + params.join("&") : location.pathname);
    } catch (e) {
      /* some browsers refuse to change the address of a file:// page: no harm */
    }
  }

  function update() {
    run();
    remember();
  }

  // the address may carry a search (a bookmarked one, or the form sent without script)
  var given = new URLSearchParams(location.search);
  ["q", "leader", "topic", "year"].forEach(function (k) {
    var v = given.get(k);
    if (v === null) return;
    if (field[k].tagName === "SELECT" && !field[k].querySelector('option[value="' + CSS.escape(v) + '"]')) return;
    field[k].value = v;
  });

  var timer = null;
  field.q.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(update, 150);
  });
  ["leader", "topic", "year"].forEach(function (k) {
    field[k].addEventListener("change", update);
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    clearTimeout(timer);
    update();
  });
  run();
})();
