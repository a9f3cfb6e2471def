// The facilitator's page: the files are posted to the API (/documents/compliance or
// /documents/balance); a ZIP is downloaded, and a refusal shows the command line's messages
// (RFC 9457 problem details) above the form. Without JavaScript, the form posts as is.
(function () {
  "use strict";
  const form = document.getElementById("suivi");
  const errors = document.getElementById("erreurs");
  const status = document.getElementById("etat");
  let clicked = null;

  form.querySelectorAll("button[type=submit]").forEach(function (button) {
    button.addEventListener("click", function () { clicked = button; });
  });

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
      ? problem.errors.map(function (e) { return e.detail; })
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
