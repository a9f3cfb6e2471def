// The form's live calibrage: posts the form to the server, which sizes it with the CLI's
// model and returns the calibrage panel and the problems by field. No calculation here.
(function () {
  "use strict";
  var form = document.getElementById("operation");
  var panel = document.getElementById("calibrage");
  var lots = document.getElementById("lots");
  var model = document.getElementById("modele-lot");
  var timer = null;
  var sent = 0;

  function renumber() {
    var rows = lots.querySelectorAll("[data-lot]");
    rows.forEach(function (row, index) {
      row.querySelectorAll("[name], [id], [for], [aria-describedby], [data-champ], [data-erreurs]").forEach(function (el) {
        ["name", "id", "for", "aria-describedby", "data-champ", "data-erreurs"].forEach(function (attr) {
          var value = el.getAttribute(attr);
          if (value) {
            el.setAttribute(attr, value.replace(/lots\[(\d+|__i__)\]/, "lots[" + index + "]").replace(/-lots-(\d+|__i__)-/, "-lots-" + index + "-"));
          }
        });
      });
      var numero = row.querySelector("[name$='.numero']");
      row.querySelector("[data-numero-affiche]").textContent = numero ? numero.value : "";
      row.querySelector("[data-retirer]").hidden = rows.length === 1;
    });
  }

  function place(fragment) {
    document.querySelectorAll("[data-erreurs] .fr-message--error").forEach(function (message) { message.remove(); });
    document.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
    document.querySelectorAll(".fr-input-group--error, .fr-select-group--error").forEach(function (group) {
      group.classList.remove("fr-input-group--error", "fr-select-group--error");
    });
    document.querySelectorAll(".fr-input--error, .fr-select--error").forEach(function (el) {
      el.classList.remove("fr-input--error", "fr-select--error");
    });
    var general = [];
    var template = fragment.querySelector("#erreurs-par-champ");
    if (!template) { return; }
    template.content.querySelectorAll("p[data-pour]").forEach(function (p) {
      var name = p.getAttribute("data-pour");
      var box = name ? document.querySelector('[data-erreurs="' + CSS.escape(name) + '"]') : null;
      if (!box) { general.push(p.textContent); return; }
      var message = document.createElement("p");
      message.className = "fr-message fr-message--error";
      message.textContent = p.textContent;
      box.appendChild(message);
      var group = document.querySelector('[data-champ="' + CSS.escape(name) + '"]');
      if (group) {
        group.classList.add(group.classList.contains("fr-select-group") ? "fr-select-group--error" : "fr-input-group--error");
        var input = group.querySelector("input, select, textarea");
        if (input) {
          input.setAttribute("aria-invalid", "true");
          input.classList.add(input.tagName === "SELECT" ? "fr-select--error" : "fr-input--error");
        }
      }
    });
    var top = document.getElementById("erreurs-generales");
    top.innerHTML = "";
    if (general.length) {
      var alert = document.createElement("div");
      alert.className = "fr-alert fr-alert--error fr-mb-3w";
      var list = document.createElement("ul");
      general.forEach(function (text) {
        var item = document.createElement("li");
        item.textContent = text;
        list.appendChild(item);
      });
      alert.appendChild(list);
      top.appendChild(alert);
    }
  }

  function refresh() {
    var mine = ++sent;
    fetch("/formulaire/calibrage", { method: "POST", body: new FormData(form) })
      .then(function (response) {
        if (response.redirected && new URL(response.url).pathname === "/acces") {
          window.location.assign(response.url);  // the access cookie is gone: the token page
          return null;
        }
        return response.text();
      })
      .then(function (html) {
        if (html === null || mine !== sent) { return; }
        var fragment = document.createElement("div");
        fragment.innerHTML = html;
        panel.innerHTML = html;
        place(fragment);
      })
      .catch(function () {
        if (mine === sent) {
          panel.querySelector("h2").insertAdjacentHTML("afterend", '<p class="fr-message fr-message--error">Le serveur ne répond pas : le calibrage n’a pas pu être mis à jour.</p>');
        }
      });
  }

  function soon() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  }

  document.getElementById("ajouter-lot").addEventListener("click", function () {
    var count = lots.querySelectorAll("[data-lot]").length;
    lots.insertAdjacentHTML("beforeend", model.innerHTML);
    renumber();
    var row = lots.querySelectorAll("[data-lot]")[count];
    row.querySelector("[name$='.numero']").value = String(count + 1);
    renumber();
    row.querySelector("[name$='.intitule']").focus();
    soon();
  });
  lots.addEventListener("click", function (event) {
    var button = event.target.closest("[data-retirer]");
    if (!button) { return; }
    var row = button.closest("[data-lot]");
    var next = row.nextElementSibling || row.previousElementSibling;
    row.remove();
    renumber();
    if (next) { next.querySelector("input").focus(); }
    soon();
  });
  // A field the loaded notice left to fill keeps its hint until it is filled.
  function hints() {
    document.querySelectorAll("[data-a-completer]").forEach(function (hint) {
      var group = hint.closest("[data-champ]");
      var input = group ? group.querySelector("input, select, textarea") : null;
      hint.hidden = Boolean(input && input.value);
    });
  }
  form.addEventListener("input", hints);
  form.addEventListener("change", hints);
  form.addEventListener("input", soon);
  form.addEventListener("change", soon);
  renumber();
})();
