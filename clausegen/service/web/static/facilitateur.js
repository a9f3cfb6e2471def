// The facilitator's page: the files are posted to the API (/documents/compliance or
// /documents/balance); a ZIP is downloaded, and a refusal (RFC 9457 problem details) shows
// above the form, each problem worded in French from the page's catalogue by its kind and
// values (clausegen/service/web/execution_messages.py), else as the command line words it.
// Without JavaScript, the form posts as is.
(function () {
  "use strict";
  const messages = JSON.parse(document.getElementById("messages").textContent);
  const form = document.getElementById("suivi");
  const errors = document.getElementById("erreurs");
  const status = document.getElementById("etat");
  let clicked = null;

  form.querySelectorAll("button[type=submit]").forEach(function (button) {
    button.addEventListener("click", function () { clicked = button; });
  });

  // "{name}" placeholders filled from values; null when one is missing.
  function fill(template, values) {
    let complete = true;
    const text = template.replace(/\{(\w+)\}/g, function (_, name) {
      if (values[name] === undefined || values[name] === "") { complete = false; return ""; }
      return String(values[name]);
    });
    return complete ? text : null;
  }

  // Rows as French lists them: 4; [4, 5] → "4 et 5"; [4, 5, 6] → "4, 5 et 6".
  function listed(rows) {
    if (!Array.isArray(rows)) { return rows; }
    if (rows.length < 2) { return rows[0]; }
    return rows.slice(0, -1).join(", ") + " " + messages.and + " " + rows[rows.length - 1];
  }

  // A YAML field in French ("formations[1].heures" → "heures de la formation n° 2");
  // undefined when the catalogue does not name it.
  function fieldName(path) {
    const position = /\[(\d+)\]/.exec(path);
    const name = messages.fields[path.replace(/\[\d+\]/g, "[]")];
    return name && fill(name, { n: position ? Number(position[1]) + 1 : "" });
  }

  // Which of the catalogue's places a problem is at: a cell or row(s) of a table, a
  // participant's or a commitment's field, the whole file; null when it cannot be told.
  function placeOf(error, values) {
    if (values.row !== undefined) {
      const several = Array.isArray(values.row) && values.row.length > 1;
      return (values.column ? "cell" : "row") + (several ? "s" : "");
    }
    if (values.participant !== undefined) {
      return values.field ? "participant" : "participant_entry";
    }
    if (values.company !== undefined) { return values.field ? "company" : "company_entry"; }
    return error.field ? null : "file";
  }

  // A problem in French: where (the file by its label, the row and column, or the
  // participant or company and the field) and what to do.
  function french(error) {
    const label = messages.files[String(error.file || "").split(/[/.]/)[0]];
    const values = Object.assign({}, error.values, { file: label });
    const yaml = values.field !== undefined;
    const wording = error.kind &&
      ((yaml && messages.field_wordings[error.kind]) || messages.wordings[error.kind]);
    if (!wording || !label) { return error.detail; }
    const place = placeOf(error, values);
    if (values.row !== undefined) { values.row = listed(values.row); }
    if (values.field) { values.field = fieldName(values.field); }
    const where = place && fill(messages.places[place], values);
    const what = fill(wording, values);
    if (!where || !what) { return error.detail; }
    return where + what;
  }

  function show(problem) {
    errors.replaceChildren();
    const box = document.createElement("div");
    box.className = "fr-alert fr-alert--error fr-mb-3w";
    const title = document.createElement("h2");
    title.className = "fr-alert__title";
    title.textContent = "Les documents n’ont pas pu être produits";
    box.appendChild(title);
    const list = document.createElement("ul");
    const lines = (problem.errors && problem.errors.length)
      ? problem.errors.map(french)
      : [problem.detail || problem.title];
    lines.forEach(function (line) {
      const item = document.createElement("li");
      item.textContent = line;
      list.appendChild(item);
    });
    box.appendChild(list);
    errors.appendChild(box);
    box.setAttribute("tabindex", "-1");
    box.focus();
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    const button = clicked || form.querySelector("button[type=submit]");
    const target = button.getAttribute("formaction");
    errors.replaceChildren();
    status.textContent = "Production des documents en cours…";
    button.disabled = true;
    try {
      const response = await fetch(target, { method: "POST", body: new FormData(form) });
      if (response.status === 401) {
        // the access cookie expired or was refused: reloading the page lets the server send
        // to the token page, saying whether the session expired, and back here
        window.location.assign("/facilitateur");
        return;
      }
      if (!response.ok) {
        status.textContent = "";
        show(await response.json());
        return;
      }
      const blob = await response.blob();
      const link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = button.dataset.fichier;
      document.body.appendChild(link);
      link.click();
      link.remove();
      status.textContent = "Documents téléchargés (" + button.dataset.fichier + ").";
    } catch (failure) {
      status.textContent = "";
      show({ detail: "Le service ne répond pas ; réessayez dans un instant." });
    } finally {
      button.disabled = false;
    }
  });
})();
