// git voice review: select lines or a hunk, record a spoken comment, correct and keep it. No build step.
"use strict";
(function () {
  const token = document.body.dataset.token;
  const canComment = document.body.dataset.canComment === "yes";
  let selection = null; // {section, table, rows, entry, file, side, start, end}
  let composer = null;

  function post(url, body, type) {
    return fetch(url, {method: "POST", body: body, credentials: "omit",
                       headers: {"X-GitVoice-Token": token, "Content-Type": type}})
      .then(async (response) => {
        const data = await response.json().catch(() => ({error: response.statusText}));
        if (!response.ok) throw new Error(data.error || response.statusText);
        return data;
      });
  }

  function rowNumber(row, side) {
    const value = side === "old" ? row.dataset.old : row.dataset.new;
    return value ? parseInt(value, 10) : null;
  }

  function clearSelection() {
    document.querySelectorAll("tr.selected").forEach((row) => row.classList.remove("selected"));
    if (composer) composer.remove();
    composer = null;
    selection = null;
  }

  function select(rows, side) {
    const numbers = rows.map((row) => rowNumber(row, side)).filter((n) => n !== null);
    if (!numbers.length) return;
    const table = rows[0].closest("table");
    clearSelection();
    rows.forEach((row) => row.classList.add("selected"));
    selection = {
      table: table, rows: rows, side: side,
      entry: parseInt(table.closest("section.commit").dataset.entry, 10),
      file: parseInt(table.closest("details.file").dataset.file, 10),
      start: Math.min(...numbers), end: Math.max(...numbers),
    };
    if (canComment) openComposer();
  }

  function sideOf(row) { return row.classList.contains("del") ? "old" : "new"; }

  function onLineClick(row, extend) {
    const side = sideOf(row);
    if (extend && selection && selection.table === row.closest("table") && selection.side === side) {
      const all = Array.from(selection.table.querySelectorAll("tr.line"));
      const anchor = all.indexOf(selection.rows[0]);
      const here = all.indexOf(row);
      const rows = all.slice(Math.min(anchor, here), Math.max(anchor, here) + 1)
        .filter((r) => r.dataset.hunk === row.dataset.hunk && rowNumber(r, side) !== null);
      select(rows, side);
      return;
    }
    select([row], side);
  }

  function onHunkClick(header) {
    const rows = Array.from(header.closest("table").querySelectorAll(`tr.line[data-hunk="${header.dataset.hunk}"]`));
    const side = rows.some((r) => !r.classList.contains("del")) ? "new" : "old";
    select(rows.filter((r) => rowNumber(r, side) !== null), side);
  }

  function openComposer() {
    const fragment = document.getElementById("composer-template").content.cloneNode(true);
    const row = document.createElement("tr");
    row.className = "composer-row";
    const cell = document.createElement("td");
    cell.colSpan = 3;
    cell.appendChild(fragment);
    row.appendChild(cell);
    const last = selection.rows[selection.rows.length - 1];
    let after = last;
    while (after.nextElementSibling && after.nextElementSibling.classList.contains("comment-row")) {
      after = after.nextElementSibling;
    }
    after.after(row);
    composer = row;
    const lines = selection.start === selection.end ? `line ${selection.start}` : `lines ${selection.start}–${selection.end}`;
    row.querySelector(".target").textContent = `Spoken comment on ${selection.side === "old" ? "old " : ""}${lines}`;
    const record = row.querySelector(".record");
    const stop = row.querySelector(".stop");
    const status = row.querySelector(".status");
    row.querySelector(".cancel").addEventListener("click", clearSelection);
    let recorder = null;
    record.addEventListener("click", async () => {
      try {
        // Whisper hears best what the microphone heard: no noise suppression, gain control or echo cancelling.
        const stream = await navigator.mediaDevices.getUserMedia({audio: {
          echoCancellation: false, noiseSuppression: false, autoGainControl: false, channelCount: 1}});
        const chunks = [];
        recorder = new MediaRecorder(stream, {audioBitsPerSecond: 96000});
        recorder.addEventListener("dataavailable", (event) => { if (event.data.size) chunks.push(event.data); });
        recorder.addEventListener("stop", () => {
          stream.getTracks().forEach((track) => track.stop());
          const blob = new Blob(chunks, {type: recorder.mimeType || "audio/webm"});
          upload(selection, blob, status).catch(() => {});
        });
        recorder.start(250);
        record.classList.add("on");
        record.disabled = true;
        stop.disabled = false;
        status.textContent = "Recording… speak, then press Stop.";
      } catch (error) {
        status.textContent = `No microphone: ${error.message}`;
        status.classList.add("error");
      }
    });
    stop.addEventListener("click", () => {
      if (recorder && recorder.state !== "inactive") recorder.stop();
      record.classList.remove("on");
      stop.disabled = true;
    });
  }

  // Sends a recording as the comment on `target` ({entry, file, start, end, side}); the server transcribes it with
  // the hunk's identifiers and keeps it. Resolves to the comment's element, shown for correction.
  async function upload(target, blob, status) {
    const where = new URLSearchParams({entry: target.entry, file: target.file, start: target.start,
                                       end: target.end, side: target.side, t: token});
    if (status) { status.textContent = "Transcribing…"; status.classList.remove("error"); }
    let data;
    try {
      data = await post(`/api/comments?${where}`, blob, blob.type || "audio/webm");
    } catch (error) {
      if (status) { status.textContent = error.message; status.classList.add("error"); }
      throw error;
    }
    const holder = document.createElement("tbody");
    holder.innerHTML = `<tr class="comment-row"><td colspan="3">${data.html}</td></tr>`;
    const row = holder.firstElementChild;
    const section = document.querySelector(`section.commit[data-entry="${target.entry}"]`);
    const table = section.querySelector(`details.file[data-file="${target.file}"] table`);
    const anchor = Array.from(table.querySelectorAll("tr.line"))
      .filter((r) => rowNumber(r, target.side) === target.end).pop();
    let after = anchor;
    while (after.nextElementSibling && after.nextElementSibling.classList.contains("comment-row")) {
      after = after.nextElementSibling;
    }
    after.after(row);
    clearSelection();
    wireComment(row.querySelector("article.comment"));
    const text = row.querySelector("textarea.transcript");
    fit(text);
    text.focus();
    return row.querySelector("article.comment");
  }
  window.gitvoiceUpload = upload;

  function fit(textarea) {
    textarea.style.height = "auto";
    textarea.style.height = `${textarea.scrollHeight + 2}px`;
  }

  function wireComment(article) {
    const text = article.querySelector("textarea.transcript");
    fit(text);
    const save = article.querySelector(".save");
    const remove = article.querySelector(".delete");
    const status = article.querySelector(".status");
    if (!save) return;
    const base = `/api/comments/${article.dataset.entry}/${article.dataset.comment}`;
    let saved = text.value;
    text.addEventListener("input", () => { save.disabled = text.value === saved; fit(text); });
    save.addEventListener("click", async () => {
      try {
        await post(`${base}?t=${token}`, JSON.stringify({transcript: text.value}), "application/json");
        saved = text.value;
        save.disabled = true;
        status.textContent = "Saved";
        status.classList.remove("error");
      } catch (error) {
        status.textContent = error.message;
        status.classList.add("error");
      }
    });
    remove.addEventListener("click", async () => {
      if (!window.confirm("Delete this comment and its recording?")) return;
      try {
        await post(`${base}/delete?t=${token}`, "{}", "application/json");
        const row = article.closest("tr.comment-row");
        (row || article).remove();
      } catch (error) {
        status.textContent = error.message;
        status.classList.add("error");
      }
    });
  }

  function wireReadback(button) {
    const box = button.closest(".readback");
    const audio = box.querySelector("audio");
    const status = box.querySelector(".status");
    button.addEventListener("click", () => {
      status.textContent = "Preparing the readback…";
      status.classList.remove("error");
      audio.src = `/audio/readback/${button.dataset.entry}?t=${token}`;
      audio.hidden = false;
      audio.play().catch(() => {});
    });
    audio.addEventListener("playing", () => { status.textContent = ""; });
    audio.addEventListener("error", () => {
      status.textContent = "No readback: is a speech engine (espeak-ng) installed?";
      status.classList.add("error");
      audio.hidden = true;
    });
  }

  document.addEventListener("click", (event) => {
    const target = event.target;
    if (!(target instanceof Element)) return;
    const number = target.closest("tr.line td.num");
    if (number) { onLineClick(number.closest("tr"), event.shiftKey); return; }
    const hunk = target.closest("tr.hunk");
    if (hunk) onHunkClick(hunk);
  });
  document.addEventListener("keydown", (event) => { if (event.key === "Escape") clearSelection(); });
  document.querySelectorAll("article.comment").forEach(wireComment);
  document.querySelectorAll("button.readback-button").forEach(wireReadback);
})();
