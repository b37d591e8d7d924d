// The damage diagram of the walk-around page: a click adds a numbered mark with a note.
(function () {
  var box = document.getElementById("diagram"), input = document.getElementById("marks"), list = document.getElementById("mark-list");
  var marks = JSON.parse(input.value || "[]");
  var noteLabel = box.getAttribute("data-note-label") || "";
  function render() {
    box.querySelectorAll(".dmg").forEach(function (e) { e.remove(); });
    list.innerHTML = "";
    marks.forEach(function (m, i) {
      var dot = document.createElement("span");
      dot.className = "dmg position-absolute badge rounded-pill text-bg-danger";
      dot.style.left = m.x + "%"; dot.style.top = m.y + "%"; dot.style.transform = "translate(-50%,-50%)";
      dot.textContent = i + 1; box.appendChild(dot);
      var li = document.createElement("li");
      var note = document.createElement("input");
      note.className = "form-control form-control-sm d-inline-block w-75"; note.value = m.note || ""; note.placeholder = noteLabel;
      note.addEventListener("input", function () { m.note = note.value; save(); });
      var del = document.createElement("button"); del.type = "button"; del.className = "btn btn-sm btn-link text-danger"; del.textContent = "×";
      del.addEventListener("click", function () { marks.splice(i, 1); save(); render(); });
      li.appendChild(note); li.appendChild(del); list.appendChild(li);
    });
  }
  function save() { input.value = JSON.stringify(marks); }
  box.addEventListener("click", function (ev) {
    if (ev.target.classList.contains("dmg")) return;
    var r = box.getBoundingClientRect();
    marks.push({x: Math.round((ev.clientX - r.left) / r.width * 10000) / 100, y: Math.round((ev.clientY - r.top) / r.height * 10000) / 100, note: ""});
    save(); render();
  });
  render();
  // Writing what was seen on a point marks it "Note" (not OK) without a separate click on the toggle.
  document.querySelectorAll("#inspection-form input[name^='note-']").forEach(function (note) {
    note.addEventListener("input", function () {
      var pk = note.name.slice(5), flag = document.getElementById("ok-" + pk + "-0");
      if (flag && note.value.trim()) flag.checked = true;
    });
  });
  // A photo taken in the middle of the walk-around goes up on its own, without leaving the page: the checklist, the
  // remarks and the marks typed so far stay as they are (they are saved with "Save the pre-inspection").
  var photos = document.getElementById("photos");
  if (photos && window.fetch && window.FormData) {
    photos.addEventListener("click", function (ev) {
      var button = ev.target.closest("#photo-upload");
      if (!button) return;
      ev.preventDefault();
      var form = document.getElementById("inspection-form"), data = new FormData();
      data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
      photos.querySelectorAll("input[name], textarea[name], select[name]").forEach(function (field) {
        if (field.type === "file") { Array.prototype.forEach.call(field.files, function (f) { data.append(field.name, f); }); }
        else { data.append(field.name, field.value); }
      });
      button.disabled = true;
      fetch(photos.getAttribute("data-url"), {method: "POST", body: data, credentials: "same-origin",
                                              headers: {"X-Requested-With": "fetch"}})
        .then(function (r) { return r.text(); })
        .then(function (html) { photos.innerHTML = html; })
        .catch(function () { button.disabled = false; });
    });
  }
})();
