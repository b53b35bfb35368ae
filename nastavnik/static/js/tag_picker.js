/* «Включить в программу»: filter the tag checkboxes, tick suggestions from the person's
   questionnaires, and show the mentor-only field and the role's kinds of tags. No framework. */
(function () {
  "use strict";
  function norm(text) { return text.toLowerCase().replace(/ё/g, "е").trim(); }

  function filter(picker) {
    var query = norm(picker.querySelector("[data-tag-filter]").value);
    var any = false;
    picker.querySelectorAll(".tag-group").forEach(function (group) {
      var shown = 0;
      group.querySelectorAll(".tag-option").forEach(function (option) {
        var match = !query || norm(option.textContent).indexOf(query) !== -1;
        option.hidden = !match;
        if (match) shown += 1;
      });
      group.classList.toggle("empty", shown === 0);
      if (shown && !group.hidden) any = true;
    });
    picker.querySelector(".tag-none").hidden = any;
  }

  function applyRole(form) {
    var select = form.querySelector("[name=role]");
    if (!select) return;
    var role = select.value;
    form.querySelectorAll("[data-mentor-only]").forEach(function (field) {
      field.hidden = role !== "mentor";
      field.querySelectorAll("input").forEach(function (input) { input.disabled = field.hidden; });
    });
    form.querySelectorAll(".tag-group[data-roles]").forEach(function (group) {
      group.hidden = group.dataset.roles !== role;
      group.querySelectorAll("input").forEach(function (input) { input.disabled = group.hidden; });
    });
    form.querySelectorAll("[data-tag-picker]").forEach(filter);
  }

  function init() {
    document.querySelectorAll("[data-role-form]").forEach(function (form) {
      var select = form.querySelector("[name=role]");
      if (select) select.addEventListener("change", function () { applyRole(form); });
      applyRole(form);
    });
    document.querySelectorAll("[data-tag-picker]").forEach(function (picker) {
      picker.querySelector("[data-tag-filter]").addEventListener("input", function () { filter(picker); });
      picker.querySelector("[data-tag-filter]").addEventListener("keydown", function (event) {
        if (event.key === "Enter") event.preventDefault();
      });
    });
    // Suggestions arrive later (HTMX): one listener on the document ticks the tag.
    document.addEventListener("click", function (event) {
      var chip = event.target.closest(".chip[data-tag-id]");
      if (!chip) return;
      var box = document.querySelector("[data-tag-picker] input[name=tags][value='" + chip.dataset.tagId + "']");
      if (!box) return;
      var group = box.closest(".tag-group");
      if (group && group.hidden) return;
      box.checked = !box.checked;
      chip.classList.toggle("on", box.checked);
      box.closest(".tag-option").scrollIntoView({block: "nearest"});
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
