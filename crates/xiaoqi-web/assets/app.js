// Xiaoqi: the little script there is. htmx sends the CSRF token of the page with its requests.
document.addEventListener("htmx:configRequest", function (e) {
  var m = document.querySelector('input[name="_csrf"]');
  if (m) { e.detail.headers["X-CSRF-Token"] = m.value; }
});
