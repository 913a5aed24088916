// fhirconv review page: the side panel. Every value goes through textContent (the report is untrusted input).
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("fhirconv-data").textContent);
  var panel = document.getElementById("panel");
  var hint = panel.innerHTML;  // static text written by fhirconv, not data

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function row(dl, label, values) {
    if (!values || (Array.isArray(values) && !values.length)) return;
    dl.appendChild(el("dt", label));
    var dd = el("dd");
    (Array.isArray(values) ? values : [values]).forEach(function (v, i) {
      if (i) dd.appendChild(el("br"));
      if (v instanceof Node) dd.appendChild(v); else dd.appendChild(document.createTextNode(String(v)));
    });
    dl.appendChild(dd);
  }
  function codeNode(c) {
    var s = el("span");
    s.appendChild(el("span", c.system + " ", "sys"));
    s.appendChild(el("code", c.code));
    if (c.display) s.appendChild(document.createTextNode(" " + c.display));
    return s;
  }
  function link(text, aid) {
    var b = el("button", text, "link");
    b.type = "button";
    b.addEventListener("click", function () { select(aid, true); });
    return b;
  }
  function resourceBlock(rid, dl) {
    var r = data.resources[rid], s = r.summary;
    row(dl, "Codes", s.codes.length ? s.codes.map(codeNode) : ["none (text only)"]);
    row(dl, "Relative", s.relationship);
    row(dl, "Status", s.status);
    row(dl, "Value", s.values);
    row(dl, "Dates", s.dates);
    row(dl, "Site", s.site);
    var mentions = r.cited.filter(function (c) { return !c.path; });
    if (mentions.length > 1) {
      row(dl, "Mentions (" + mentions.length + ")", mentions.map(function (c) { return link("\u201c" + c.text + "\u201d", c.aid); }));
    }
    row(dl, "Cited for", r.cited.filter(function (c) { return c.path; }).map(function (c) {
      var sp = el("span", c.path.replace(/^[A-Za-z]+\./, "") + ": ");
      sp.appendChild(link("\u201c" + c.text + "\u201d", c.aid));
      return sp;
    }));
  }
  function jsonBlock(rid) {
    var d = el("details");
    d.open = true;
    d.appendChild(el("summary", data.resources[rid].type + " JSON"));
    d.appendChild(el("pre", JSON.stringify(data.resources[rid].json, null, 2), "json"));
    return d;
  }
  function mentionRows(dl, a) {
    (a.mentions || []).forEach(function (m) {
      var parts = [m.kind + " from " + m.rule];
      if (m.date) parts.push("date " + m.date);
      m.qualifiers.forEach(function (q) { parts.push(q.kind + " cue \u201c" + q.cue + "\u201d (" + q.rule + ")"); });
      row(dl, "\u201c" + m.text + "\u201d", parts);
    });
  }
  function show(aid) {
    var a = data.anns[aid];
    panel.textContent = "";
    var h = el("h2");
    var tag = el("span", a.kind === "drop" ? "not asserted" : a.kind === "ev" ? "cited evidence" : a.type,
                 "tag t-" + a.type);
    h.appendChild(tag);
    h.appendChild(el("span", a.kind === "hl" ? data.resources[a.rids[0]].summary.label || a.text : a.text,
                     "panel-title"));
    panel.appendChild(h);
    var dl = el("dl");
    panel.appendChild(dl);
    row(dl, "Evidence", "\u201c" + a.text + "\u201d (characters " + a.start + "\u2013" + a.end + ")");
    if (a.marks.length) row(dl, "Assertion", a.marks.map(function (m) { return data.badges[m]; }).join(", "));
    if (a.kind === "drop") row(dl, "Why left out", a.reason);
    if (a.kind === "ev") {
      row(dl, "Cited as", a.rids.map(function (rid, i) {
        var r = data.resources[rid];
        var s = el("span", a.paths[i] + " of ");
        s.appendChild(r.ann ? link(r.type + ": " + r.summary.label, r.ann) : el("span", r.type));
        return s;
      }));
      return;
    }
    if (a.kind === "hl") resourceBlock(a.rids[0], dl);
    mentionRows(dl, a);
    if (a.kind === "hl") panel.appendChild(jsonBlock(a.rids[0]));
  }
  function select(aid, scroll) {
    document.querySelectorAll("mark.sel, tr.sel").forEach(function (m) { m.classList.remove("sel"); });
    var frags = document.querySelectorAll('mark[data-a="' + aid + '"]');
    frags.forEach(function (m) { m.classList.add("sel"); });
    var a = data.anns[aid];
    if (a && a.kind === "hl") {
      document.querySelectorAll('tr[data-rid="' + a.rids[0] + '"]').forEach(function (t) { t.classList.add("sel"); });
    }
    show(aid);
    if (scroll && frags.length) { frags[0].scrollIntoView({block: "center"}); frags[0].focus({preventScroll: true}); }
  }
  function close() {
    document.querySelectorAll("mark.sel, tr.sel").forEach(function (m) { m.classList.remove("sel"); });
    panel.innerHTML = hint;
  }
  document.addEventListener("click", function (ev) {
    var m = ev.target.closest("mark[data-a]");
    if (m && m.closest("#report-text")) { ev.stopPropagation(); select(m.getAttribute("data-a"), false); return; }
    var g = ev.target.closest("button.goto");
    if (g) select(g.getAttribute("data-goto"), true);
  });
  document.addEventListener("keydown", function (ev) {
    var m = ev.target.closest && ev.target.closest("mark[data-a]");
    if (m && (ev.key === "Enter" || ev.key === " ")) { ev.preventDefault(); select(m.getAttribute("data-a"), false); }
    if (ev.key === "Escape") close();
  });
  document.querySelectorAll("input[data-toggle]").forEach(function (box) {
    box.addEventListener("change", function () {
      document.body.classList.toggle("hide-" + box.getAttribute("data-toggle"), !box.checked);
    });
  });
}());
