// Xiaoqi: the little script there is. htmx sends the CSRF token of the page with its requests.
document.addEventListener("htmx:configRequest", function (e) {
  var m = document.querySelector('input[name="_csrf"]');
  if (m) { e.detail.headers["X-CSRF-Token"] = m.value; }
});
// Region picker: choosing a suggestion fills the region field of the same form.
document.addEventListener("click", function (e) {
  var b = e.target.closest ? e.target.closest("[data-region-code]") : null;
  if (!b) { return; }
  var form = b.closest("form");
  var input = form ? form.querySelector('input[name="region_code"]') : null;
  if (input) { input.value = b.getAttribute("data-region-code"); }
  var list = b.closest(".picker");
  if (list && list.parentNode) { list.parentNode.innerHTML = ""; }
});
// Occupation suggestion: one click on a suggestion fills the occupation code of the form.
document.addEventListener("click", function (e) {
  var b = e.target.closest ? e.target.closest("[data-occupation-code]") : null;
  if (!b) { return; }
  var form = b.closest("form");
  var input = form ? form.querySelector('input[name="occupation_code"]') : null;
  if (input) { input.value = b.getAttribute("data-occupation-code"); }
  var chosen = form ? form.querySelector("#occupation_chosen") : null;
  if (chosen) { chosen.textContent = b.getAttribute("data-occupation-label"); }
});
