// The shared snapshot page's only script (app/s/[token]/route.ts): no framework. Loaded in the
// head, so that the saved theme applies before the first paint; the buttons work by delegation.
(function () {
  "use strict";
  var KEY = "thinkpane.theme";
  var NEXT = { system: "light", light: "dark", dark: "system" };
  var root = document.documentElement;
  var media = matchMedia("(prefers-color-scheme: dark)");
  var theme = "system";
  try {
    var saved = localStorage.getItem(KEY);
    if (saved === "light" || saved === "dark") theme = saved;
  } catch {
    // Storage off (private mode, policy): the system's theme.
  }

  function applyTheme() {
    root.classList.toggle("dark", theme === "dark" || (theme === "system" && media.matches));
    var button = document.querySelector("[data-theme]");
    if (!button) return;
    button.dataset.icon = theme;
    button.setAttribute("aria-label", "Theme: " + theme + ". Switch to " + NEXT[theme]);
    button.title = "Theme: " + theme;
  }
  applyTheme();
  media.addEventListener("change", applyTheme);

  // What each copy or download button reads: its closest scope, then the source inside it.
  var SOURCES = {
    message: ["article", "[data-copy-source]"],
    answer: ["section", "[data-copy-source]"],
    code: [".code-block", "code"],
    table: [".table-block", "table"],
  };

  /** Tables as rows of cells; anything else as the text it shows. */
  function cells(button, kind) {
    var source = SOURCES[kind];
    var scope = source && button.closest(source[0]);
    var element = scope && scope.querySelector(source[1]);
    if (!element) return "";
    if (element.localName !== "table") return element.innerText;
    return Array.prototype.map.call(element.querySelectorAll("tr"), function (row) {
      return Array.prototype.map.call(row.querySelectorAll("th, td"), function (cell) {
        return cell.innerText.trim();
      });
    });
  }

  function csvCell(cell) {
    return /[",\n]/.test(cell) ? '"' + cell.replace(/"/g, '""') + '"' : cell;
  }

  /** The source's text; a table's rows with their cells joined by `join` after `cell`. */
  function textOf(button, kind, cell, join) {
    var content = cells(button, kind);
    if (typeof content === "string") return content;
    return content
      .map(function (row) {
        return row.map(cell).join(join);
      })
      .join("\n");
  }

  function same(cell) {
    return cell;
  }

  function copy(button) {
    var text = textOf(button, button.dataset.copy, same, "\t");
    var label = button.getAttribute("aria-label");
    void navigator.clipboard.writeText(text).then(function () {
      var icon = button.dataset.icon;
      button.dataset.icon = "check";
      button.title = "Copied";
      setTimeout(function () {
        button.dataset.icon = icon;
        button.title = label;
      }, 1500);
    });
  }

  function download(button) {
    var text = textOf(button, button.dataset.download, csvCell, ",");
    var url = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
    var link = document.createElement("a");
    link.href = url;
    link.download = button.dataset.file || "download.txt";
    link.click();
    URL.revokeObjectURL(url);
  }

  function toggle(button) {
    var expanded = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(expanded));
    button.dataset.icon = expanded ? "collapse" : "expand";
    button.firstChild.textContent = expanded ? "Collapse reasoning" : "Expand reasoning";
    document.getElementById(button.getAttribute("aria-controls")).hidden = !expanded;
    button.closest(".panes").classList.toggle("collapsed", !expanded);
  }

  function fork(button) {
    var token = location.pathname.split("/").pop();
    var alert = document.querySelector("[data-fork-error]");
    if (alert) alert.remove();
    button.disabled = true;
    fetch("/api/shares/" + token + "/fork", { method: "POST" })
      .then(function (response) {
        if (response.status === 401) {
          // A private server: copying needs a user to own the copy.
          // eslint-disable-next-line @next/next/no-location-assign-relative-destination -- no Next.js router on this page
          location.assign("/sign-in?next=" + encodeURIComponent("/s/" + token));
          return;
        }
        if (!response.ok)
          throw new Error(
            response.status === 404
              ? "This link is no longer available."
              : "Could not copy the conversation.",
          );
        return response.json().then(function (body) {
          location.assign(body.url);
        });
      })
      .catch(function (error) {
        button.disabled = false;
        var message = document.createElement("p");
        message.setAttribute("role", "alert");
        message.dataset.forkError = "";
        message.className = "fork-error";
        message.textContent =
          error instanceof TypeError ? "Could not copy the conversation." : error.message;
        button.after(message);
      });
  }

  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element && event.target.closest("button");
    if (!button) return;
    var data = button.dataset;
    if ("copy" in data) copy(button);
    else if ("download" in data) download(button);
    else if ("toggle" in data) toggle(button);
    else if ("fork" in data) fork(button);
    else if ("theme" in data) {
      theme = NEXT[theme];
      try {
        localStorage.setItem(KEY, theme);
      } catch {
        // Storage off: the choice lasts for this page.
      }
      applyTheme();
    }
  });
  function blockButton(kind, what, label, file) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "snapshot-action";
    button.dataset.icon = kind;
    button.dataset[kind] = what;
    if (file) button.dataset.file = file;
    button.setAttribute("aria-label", label);
    button.title = label;
    return button;
  }

  /** Each code block and table gets its copy and download buttons (not sent in the HTML). */
  function addBlockButtons() {
    document.querySelectorAll(".code-block > div:first-child").forEach(function (bar) {
      var language = bar.textContent;
      var extension = /^[\w-]{1,16}$/.test(language) ? language : "txt";
      bar.append(
        blockButton("copy", "code", "Copy code"),
        blockButton("download", "code", "Download code", "code." + extension),
      );
    });
    document.querySelectorAll(".table-block > div:first-child").forEach(function (bar) {
      bar.append(
        blockButton("copy", "table", "Copy table"),
        blockButton("download", "table", "Download table", "table.csv"),
      );
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".icon-button[aria-label]").forEach(function (button) {
      button.title = button.getAttribute("aria-label");
    });
    document.querySelectorAll(".raw").forEach(function (badge) {
      badge.title =
        "The model's raw chain of thought. It is not safety-filtered like the answer and may contain errors.";
    });
    applyTheme();
    addBlockButtons();
  });
})();
