// The specgen docs site, on top of mkdocs-material (mkdocs.yml: extra_javascript).
// Search needs the site served (`mkdocs serve`, or `make docs` in specgen's repository): opened
// from disk (file://), the browser will not start its worker. Rather than a search box that never
// answers, the page says so where the box would be.
(function () {
  "use strict";
  if (window.location.protocol !== "file:") {
    return;
  }
  document.documentElement.classList.add("sg-from-disk");
  function note() {
    var header = document.querySelector(".md-header__inner");
    if (!header || header.querySelector(".sg-search-note")) {
      return;
    }
    var element = document.createElement("div");
    element.className = "sg-search-note";
    element.setAttribute("role", "note");
    element.innerHTML =
      '<span class="sg-long">Search needs the site served: run <code>mkdocs serve</code></span>' +
      '<span class="sg-short">No search from disk</span>';
    var source = header.querySelector(".md-header__source");
    header.insertBefore(element, source);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", note);
  } else {
    note();
  }
})();

// Syntax highlighting, in the browser. mkdocs.yml turns Pygments off (pymdownx.highlight:
// use_pygments: false): the thousands of <span>s it wrote into every page were most of what the
// build parsed again for search (benchmarks/docs.py). The code arrives as plain text in
// <pre class="highlight"><code class="language-X">; this wraps its tokens in <span>s with
// Pygments' short class names, which Material's stylesheet colours as it colours Pygments'
// (light and dark). The text itself never changes: copy, search and the tabs see the same code.
// A block that already holds elements (Pygments still on, in an older mkdocs.yml) is left alone.
(function () {
  "use strict";
  var word = function (words) {
    return new RegExp("(?:" + words.split(" ").join("|") + ")\\b", "y");
  };
  var NUMBER = [/\d+\.\d+(?:[eE][-+]?\d+)?\b/y, "mf", /\d+\b/y, "mi"];
  var PUNCTUATION = [/[()[\]{},;.]+/y, "p"];
  var RULES = {
    json: [/"(?:[^"\\\n]|\\.)*"(?=\s*:)/y, "nt", /"(?:[^"\\\n]|\\.)*"/y, "s2", word("true false null"), "kc"]
      .concat(NUMBER, [/[[\]{},:]+/y, "p"]),
    python: [
      /#[^\n]*/y, "c1",
      /[rRbBuU]?[fF]?(?:"""[\s\S]*?"""|'''[\s\S]*?''')/y, "s2",
      /[rRbBuUfF]{0,2}"(?:[^"\\\n]|\\.)*"/y, "s2",
      /[rRbBuUfF]{0,2}'(?:[^'\\\n]|\\.)*'/y, "s1",
      /(?<=\bdef\s+)\w+/y, "nf",
      /(?<=\bclass\s+)\w+/y, "nc",
      word("import from as"), "kn",
      word("True False None"), "kc",
      word("def class return if elif else for while in not and or is try except finally with raise pass break continue lambda yield async await global nonlocal del assert"), "k",
      word("print len str int float bool dict list tuple set open range sorted isinstance super repr"), "nb",
    ].concat(NUMBER, [/[-+*/%=<>!&|^~@]+/y, "o", /[()[\]{},;.:]+/y, "p"]),
    go: [
      /\/\/[^\n]*/y, "c1",
      /\/\*[\s\S]*?\*\//y, "cm",
      /"(?:[^"\\\n]|\\.)*"/y, "s2",
      /`[^`]*`/y, "s",
      /'(?:[^'\\\n]|\\.)+'/y, "sc",
      /(?<=\bfunc\s+)\w+/y, "nf",
      word("package import"), "kn",
      word("func var const type struct interface map chan"), "kd",
      word("return if else for range go defer switch case default break continue select fallthrough goto"), "k",
      word("true false nil iota"), "kc",
      word("append cap close copy delete len make new panic print println recover string int int64 float64 bool byte error any"), "nb",
    ].concat(NUMBER, [/[-+*/%=<>!&|^:]+/y, "o"], PUNCTUATION),
    shell: [
      /#[^\n]*/y, "c1",
      /"(?:[^"\\]|\\[\s\S])*"/y, "s2",
      /'[^']*'/y, "s1",
      /\$(?:\{[^}\n]*\}|\w+)/y, "nv",
      word("if then else elif fi for while until do done case esac in function"), "k",
      word("export cd echo exit set unset source read printf"), "nb",
      /\\(?=\n)/y, "se",
      /[|&;<>]+/y, "o",
    ],
    yaml: [
      /#[^\n]*/y, "c1",
      /[\w$.-]+(?=:(?:\s|$))/y, "nt",
      /"(?:[^"\\\n]|\\.)*"/y, "s2",
      /'(?:[^'\n]|'')*'/y, "s1",
      word("true false null"), "kc",
    ].concat(NUMBER, [/[-:[\]{},|>]/y, "p"]),
  };
  RULES.console = RULES.shell;
  RULES.bash = RULES.shell;
  RULES.sh = RULES.shell;
  RULES.py = RULES.python;

  function escape(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  // Tokens as HTML: at each position the first rule that matches there wins; a word that no rule
  // takes is passed over whole, so a keyword is only ever found at the start of a word.
  function mark(text, rules) {
    var out = "";
    var plain = "";
    var at = 0;
    while (at < text.length) {
      var found = null;
      for (var i = 0; i < rules.length; i += 2) {
        var rule = rules[i];
        rule.lastIndex = at;
        var match = rule.exec(text);
        if (match && match[0].length) {
          found = [match[0], rules[i + 1]];
          break;
        }
      }
      if (found) {
        out += escape(plain) + '<span class="' + found[1] + '">' + escape(found[0]) + "</span>";
        plain = "";
        at += found[0].length;
      } else {
        var rest = /\w+|[\s\S]/y;
        rest.lastIndex = at;
        var skipped = rest.exec(text)[0];
        plain += skipped;
        at += skipped.length;
      }
    }
    return out + escape(plain);
  }

  // A console session: "$ " starts a command (highlighted as shell), other lines are its output.
  function session(text) {
    return text
      .split("\n")
      .map(function (line) {
        var prompt = /^\$ /.exec(line);
        if (!prompt) {
          return line ? '<span class="go">' + escape(line) + "</span>" : "";
        }
        return '<span class="gp">$</span> ' + mark(line.slice(2), RULES.shell);
      })
      .join("\n");
  }

  function highlight() {
    var blocks = document.querySelectorAll("pre.highlight > code[class*='language-']");
    for (var i = 0; i < blocks.length; i++) {
      var code = blocks[i];
      var language = /(?:^|\s)language-(\S+)/.exec(code.className);
      if (!language || code.children.length || code.dataset.sgHighlighted) {
        continue;
      }
      var name = language[1];
      var text = code.textContent;
      if (name === "console") {
        code.innerHTML = session(text);
      } else if (RULES[name]) {
        code.innerHTML = mark(text, RULES[name]);
      }
      code.dataset.sgHighlighted = "true";
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", highlight);
  } else {
    highlight();
  }
})();
