"""Synthesize the development corpus for the "understanding" benchmark: developers explaining code changes.

    .venv/bin/python benchmarks/make_corpus.py [--out benchmarks/data/understanding]

Each entry is a sentence as a developer would type it (`text`: `fetch_user`, `api/users.py`, `--dry-run`,
`3.11`, `#42`), the words espeak-ng says (`spoken`: "fetch user", "A P I slash users dot pie"), the
identifiers that must come back verbatim, and the staged diff the explanation belongs to (the code-aware
transcription path takes its vocabulary from that diff, so the corpus needs one per clip).

Audio: espeak-ng -> sox (16 kHz mono 16-bit, level, padding) -> numpy noise for about a third of the clips
-> FLAC. Everything is seeded, so a rerun with the same espeak-ng and sox gives the same files.
Machine speech is good for testing identifier handling and failure modes, not for judging accuracy on people.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import wave
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

OUT_DIR = Path(__file__).resolve().parent / "data" / "understanding"
SAMPLE_RATE = 16000
SEED = 20240611

# espeak-ng's own English voices (no mbrola: it is a separate install) and a few of its voice variants.
VOICES = (
    "en-us", "en-gb", "en-gb-x-rp", "en-gb-scotland", "en-029", "en-us-nyc", "en-gb-x-gbclan",
    "en-gb-x-gbcwmd", "en-us+f3", "en-gb+m3", "en-us+f2", "en-gb-x-rp+f4",
)
SPEED_WPM = (130, 185)
PITCH = (30, 70)
SNR_DB = (10, 25)
NOISY_SHARE = 1 / 3


# --- diffs -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Hunk:
    old_start: int  # 0 for a new file
    header: str  # what git prints after the second @@: the enclosing function, or ""
    body: str  # lines starting with " ", "+" or "-"


@dataclass(frozen=True)
class FileDiff:
    path: str
    hunks: tuple[Hunk, ...]
    status: str = "M"  # A, M, D, R as git writes them
    old_path: str | None = None


def _blob(*parts: str) -> str:
    return hashlib.sha1("\0".join(parts).encode()).hexdigest()[:7]


# Go and make indent with tabs; the table above writes 4 spaces (ruff rejects tabs in source), put back here.
_TAB_INDENTED = re.compile(r"(\.go|/?Makefile|go\.mod)$")


def _tabs(line: str) -> str:
    body = line[1:]
    width = len(body) - len(body.lstrip(" "))
    return line[0] + "\t" * (width // 4) + body[width - width % 4 :]


def _hunk_lines(hunk: Hunk, offset: int, path: str = "") -> tuple[list[str], int]:
    # The table writes each body between newlines: drop exactly those two (a blank first context line stays).
    lines = hunk.body.removeprefix("\n").removesuffix("\n").split("\n")
    bad = [line for line in lines if not line.startswith((" ", "+", "-")) and line != ""]
    if bad:
        raise ValueError(f"diff line without a prefix: {bad[0]!r}")
    lines = [line or " " for line in lines]  # an empty context line is a single space in a real diff
    if _TAB_INDENTED.search(path):
        lines = [_tabs(line) for line in lines]
    old = sum(1 for line in lines if line[0] in " -")
    new = sum(1 for line in lines if line[0] in " +")
    new_start = 0 if new == 0 else (1 if hunk.old_start == 0 else hunk.old_start + offset)
    header = f"@@ -{hunk.old_start},{old} +{new_start},{new} @@" + (f" {hunk.header}" if hunk.header else "")
    return [header, *lines], new - old


def render_diff(files: tuple[FileDiff, ...]) -> str:
    """The files as `git diff --cached` prints them; hunk line counts are computed, so they are always right."""
    out: list[str] = []
    for f in files:
        old_path = f.old_path or f.path
        out.append(f"diff --git a/{old_path} b/{f.path}")
        old_blob, new_blob = _blob(old_path, "old"), _blob(f.path, "new")
        if f.status == "A":
            out += ["new file mode 100644", f"index 0000000..{new_blob}", "--- /dev/null", f"+++ b/{f.path}"]
        elif f.status == "D":
            out += ["deleted file mode 100644", f"index {old_blob}..0000000", f"--- a/{f.path}", "+++ /dev/null"]
        elif f.status == "R":
            out += ["similarity index 88%", f"rename from {old_path}", f"rename to {f.path}",
                    f"index {old_blob}..{new_blob} 100644", f"--- a/{old_path}", f"+++ b/{f.path}"]
        else:
            out += [f"index {old_blob}..{new_blob} 100644", f"--- a/{f.path}", f"+++ b/{f.path}"]
        offset = 0
        for hunk in f.hunks:
            lines, delta = _hunk_lines(hunk, offset, f.path)
            out += lines
            offset += delta
    return "\n".join(out) + "\n"


def M(path: str, *hunks: Hunk) -> FileDiff:  # short constructors keep the table below readable
    return FileDiff(path, hunks)


def A(path: str, body: str) -> FileDiff:
    return FileDiff(path, (Hunk(0, "", body),), status="A")


def D(path: str, body: str) -> FileDiff:
    return FileDiff(path, (Hunk(1, "", body),), status="D")


def R(old_path: str, path: str, *hunks: Hunk) -> FileDiff:
    return FileDiff(path, hunks, status="R", old_path=old_path)


def H(old_start: int, header: str, body: str) -> Hunk:
    return Hunk(old_start, header, body)


# --- the explanations --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Explanation:
    id: str
    cls: str
    text: str  # as typed; fillers like "um" are only in `spoken` (Whisper's normalizer drops them anyway)
    spoken: str
    identifiers: tuple[str, ...]
    files: tuple[FileDiff, ...] = field(default=())


E = Explanation

CORPUS: tuple[Explanation, ...] = (
    # --- snake_case ---
    E("snake01_fetch_user", "snake_case",
      "Rename get_user to fetch_user and keep a thin alias so old callers still work.",
      "Rename get user to fetch user and keep a thin alias so old callers still work.",
      ("get_user", "fetch_user"),
      (M("api/users.py", H(18, "from .db import session_scope", """

-def get_user(user_id: int) -> User | None:
+def fetch_user(user_id: int) -> User | None:
     with session_scope() as session:
         return session.get(User, user_id)
+
+
+def get_user(user_id: int) -> User | None:
+    return fetch_user(user_id)  # deprecated alias


 def list_users(limit: int = 50) -> list[User]:
""")),)),
    E("snake02_parse_headers", "snake_case",
      "Cache the result of parse_headers, because it was called for every chunk in read_body.",
      "Cache the result of parse headers, because it was called for every chunk in read body.",
      ("parse_headers", "read_body"),
      (M("http/reader.py", H(3, "", """
 import io
+from functools import lru_cache

 from .errors import ProtocolError
"""), H(40, 'CRLF = b"\\r\\n"', """


+@lru_cache(maxsize=256)
 def parse_headers(raw: bytes) -> dict[str, str]:
     lines = raw.split(CRLF)
     return dict(line.decode("latin-1").split(": ", 1) for line in lines if line)
"""), H(58, "def parse_headers(raw: bytes) -> dict[str, str]:", """
 def read_body(stream: io.BufferedReader, size: int) -> bytes:
     chunks = []
     for chunk in iter(lambda: stream.read(CHUNK_SIZE), b""):
-        headers = parse_headers(chunk[:HEADER_LIMIT])
+        headers = parse_headers(bytes(chunk[:HEADER_LIMIT]))
         chunks.append(chunk)
""")),)),
    E("snake03_send_batch", "snake_case",
      "So basically the retry loop in send_batch never reset the backoff, so I moved it into retry_with_backoff.",
      "So basically the retry loop in send batch never reset the backoff, so I moved it into retry with backoff.",
      ("send_batch", "retry_with_backoff"),
      (M("queue/producer.py", H(27, "class Producer:", """
         self.topic = topic

+    def retry_with_backoff(self, action: Callable[[], T], attempts: int = 5) -> T:
+        delay = 0.1
+        for _ in range(attempts - 1):
+            try:
+                return action()
+            except BrokerUnavailable:
+                time.sleep(delay)
+                delay *= 2
+        return action()
+
     def send_batch(self, messages: list[Message]) -> None:
-        delay = 0.1
-        while True:
-            try:
-                self.client.publish(self.topic, messages)
-                return
-            except BrokerUnavailable:
-                time.sleep(delay)
-                delay *= 2
+        self.retry_with_backoff(lambda: self.client.publish(self.topic, messages))
""")),)),
    E("snake04_validate_email", "snake_case",
      "Add a validate_email helper and call it from create_account before we hit the database.",
      "Add a validate email helper and call it from create account before we hit the database.",
      ("validate_email", "create_account"),
      (M("accounts/service.py", H(9, "", """
 EMAIL_PATTERN = re.compile(r"^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$", re.I)


+def validate_email(address: str) -> str:
+    address = address.strip()
+    if not EMAIL_PATTERN.match(address):
+        raise InvalidEmail(address)
+    return address.lower()
+
+
 def create_account(email: str, password: str) -> Account:
+    email = validate_email(email)
     hashed = hash_password(password)
     return repository.insert(Account(email=email, password_hash=hashed))
""")),)),
    E("snake05_manifest_rs", "snake_case",
      "Split the old function into read_manifest and write_manifest. Nothing else changes.",
      "Um, split the old function into read manifest and write manifest. Nothing else changes.",
      ("read_manifest", "write_manifest"),
      (M("src/manifest.rs", H(12, "use crate::error::Result;", """

-pub fn sync_manifest(path: &Path, manifest: &mut Manifest) -> Result<()> {
-    let text = fs::read_to_string(path)?;
-    manifest.merge(toml::from_str(&text)?);
-    fs::write(path, toml::to_string_pretty(manifest)?)?;
-    Ok(())
+pub fn read_manifest(path: &Path) -> Result<Manifest> {
+    let text = fs::read_to_string(path)?;
+    Ok(toml::from_str(&text)?)
+}
+
+pub fn write_manifest(path: &Path, manifest: &Manifest) -> Result<()> {
+    fs::write(path, toml::to_string_pretty(manifest)?)?;
+    Ok(())
 }
""")),)),
    E("snake06_page_count", "snake_case",
      "Fix an off by one in page_count when total_items is an exact multiple of the page size.",
      "Fix an off by one in page count when total items is an exact multiple of the page size.",
      ("page_count", "total_items"),
      (M("web/pagination.py", H(21, "class Paginator:", """
     @property
     def page_count(self) -> int:
-        return self.total_items // self.per_page + 1
+        return max(1, -(-self.total_items // self.per_page))

     def has_next(self, page: int) -> bool:
""")),)),
    E("snake07_last_login", "snake_case",
      "Drop the unused last_login column and the index that still referenced user_profile.",
      "Drop the unused last login column and the index that still referenced user profile.",
      ("last_login", "user_profile"),
      (A("migrations/0042_drop_last_login.py", """
+from alembic import op
+
+revision = "0042"
+down_revision = "0041"
+
+
+def upgrade() -> None:
+    op.drop_index("ix_user_profile_last_login", table_name="user_profile")
+    op.drop_column("user_profile", "last_login")
"""),)),
    # --- camelCase ---
    E("camel01_find_user", "camelCase",
      "Replace getUserById with findUser in the profile page and remove the old export.",
      "Replace get user by I D with find user in the profile page and remove the old export.",
      ("getUserById", "findUser"),
      (M("src/pages/Profile.jsx", H(1, "", """
 import { useEffect, useState } from "react";
-import { getUserById } from "../api/users";
+import { findUser } from "../api/users";

 export default function Profile({ userId }) {
"""), H(9, "export default function Profile({ userId }) {", """
   useEffect(() => {
-    getUserById(userId).then(setUser);
+    findUser({ id: userId }).then(setUser);
   }, [userId]);
""")), M("src/api/users.js", H(14, "export async function findUser(query) {", """
 }
-
-export const getUserById = (id) => findUser({ id });
""")))),
    E("camel02_handle_resize", "camelCase",
      "Debounce handleResize so redrawChart stops running on every pixel of the drag.",
      "Debounce handle resize so redraw chart stops running on every pixel of the drag.",
      ("handleResize", "redrawChart"),
      (M("src/components/Chart.ts", H(31, "export class Chart {", """
-  private handleResize = (): void => {
-    this.redrawChart();
-  };
+  private handleResize = debounce((): void => {
+    this.redrawChart();
+  }, 100);

   private redrawChart(): void {
     const { width, height } = this.container.getBoundingClientRect();
""")),)),
    E("camel03_fetch_orders", "camelCase",
      "fetchOrders now takes an abortSignal, so navigating away from the page cancels the request.",
      "Fetch orders now takes an abort signal, so navigating away from the page cancels the request.",
      ("fetchOrders", "abortSignal"),
      (M("src/api/orders.ts", H(6, "", """
-export async function fetchOrders(customerId: string): Promise<Order[]> {
-  const response = await fetch(`${BASE_URL}/customers/${customerId}/orders`);
+export async function fetchOrders(customerId: string, abortSignal?: AbortSignal): Promise<Order[]> {
+  const response = await fetch(`${BASE_URL}/customers/${customerId}/orders`, { signal: abortSignal });
   if (!response.ok) throw new ApiError(response.status);
   return response.json();
""")),)),
    E("camel04_parse_duration", "camelCase",
      "Make parseDuration accept plain seconds and fall back to defaultTimeout instead of panicking.",
      "Make parse duration accept plain seconds and fall back to default timeout instead of panicking.",
      ("parseDuration", "defaultTimeout"),
      (M("internal/config/duration.go", H(11, "", """
 func parseDuration(s string) time.Duration {
+    if secs, err := strconv.Atoi(s); err == nil {
+        return time.Duration(secs) * time.Second
+    }
     d, err := time.ParseDuration(s)
     if err != nil {
-        panic(fmt.Sprintf("bad duration %q", s))
+        return defaultTimeout
     }
     return d
""")),)),
    E("camel05_feature_enabled", "camelCase",
      "Move isFeatureEnabled out of the controller into settingsService, and inject it.",
      "Move is feature enabled out of the controller into settings service, uh, and inject it.",
      ("isFeatureEnabled", "settingsService"),
      (M("src/controllers/checkoutController.js", H(4, "", """
-function isFeatureEnabled(name, user) {
-  return flags[name] === true || user.betaTester;
-}
+const { settingsService } = require("../services");

 async function checkout(req, res) {
-  if (isFeatureEnabled("newCheckout", req.user)) {
+  if (settingsService.isFeatureEnabled("newCheckout", req.user)) {
""")),)),
    E("camel06_sorted_rows", "camelCase",
      "Use useMemo for sortedRows; it was recalculated on every keystroke in the search box.",
      "Use use memo for sorted rows; it was recalculated on every keystroke in the search box.",
      ("useMemo", "sortedRows"),
      (M("src/components/DataTable.tsx", H(1, "", """
-import { useState } from "react";
+import { useMemo, useState } from "react";
"""), H(17, "export function DataTable({ rows, columns }: Props) {", """
   const [query, setQuery] = useState("");
-  const sortedRows = [...rows].sort(compareBy(sortKey));
+  const sortedRows = useMemo(() => [...rows].sort(compareBy(sortKey)), [rows, sortKey]);
   const visible = sortedRows.filter((row) => matches(row, query));
""")),)),
    E("camel07_handle_submit", "camelCase",
      "Rename onSubmit to handleSubmit to match the rest of the form components.",
      "Rename on submit to handle submit to match the rest of the form components.",
      ("onSubmit", "handleSubmit"),
      (M("src/forms/SignupForm.vue", H(22, "export default {", """
   methods: {
-    onSubmit() {
+    handleSubmit() {
       this.$emit("signup", { email: this.email, password: this.password });
     },
"""), H(3, "", """
-  <form @submit.prevent="onSubmit">
+  <form @submit.prevent="handleSubmit">
""")),)),
    # --- PascalCase ---
    E("pascal01_user_repository", "PascalCase",
      "Turn UserRepository into an abstract base class and add a SqlUserRepository that implements it.",
      "Turn user repository into an abstract base class and add an S Q L user repository that implements it.",
      ("UserRepository", "SqlUserRepository"),
      (M("app/repositories.py", H(1, "", """
+from abc import ABC, abstractmethod
+

-class UserRepository:
-    def __init__(self, engine: Engine) -> None:
-        self.engine = engine
-
+class UserRepository(ABC):
+    @abstractmethod
     def get(self, user_id: int) -> User | None:
+        ...
+
+
+class SqlUserRepository(UserRepository):
+    def __init__(self, engine: Engine) -> None:
+        self.engine = engine
+
+    def get(self, user_id: int) -> User | None:
         with Session(self.engine) as session:
""")),)),
    E("pascal02_config_builder", "PascalCase",
      "Derive Clone for ConfigBuilder, the tests were rebuilding it from scratch every time.",
      "Derive clone for config builder, the tests were rebuilding it from scratch every time.",
      ("ConfigBuilder",),
      (M("src/config.rs", H(8, "use std::path::PathBuf;", """

-#[derive(Debug, Default)]
+#[derive(Debug, Default, Clone)]
 pub struct ConfigBuilder {
     root: Option<PathBuf>,
     profile: Option<String>,
""")),)),
    E("pascal03_date_range_picker", "PascalCase",
      "Extract a DateRangePicker component from the ReportFilters form so the dashboard can reuse it.",
      "Extract a date range picker component from the report filters form so the dashboard can reuse it.",
      ("DateRangePicker", "ReportFilters"),
      (A("src/components/DateRangePicker.tsx", """
+import type { DateRange } from "../types";
+
+export function DateRangePicker({ value, onChange }: { value: DateRange; onChange: (r: DateRange) => void }) {
+  return (
+    <fieldset className="date-range">
+      <input type="date" value={value.from} onChange={(e) => onChange({ ...value, from: e.target.value })} />
+      <input type="date" value={value.to} onChange={(e) => onChange({ ...value, to: e.target.value })} />
+    </fieldset>
+  );
+}
"""), M("src/components/ReportFilters.tsx", H(12, "export function ReportFilters({ filters, setFilters }: Props) {", """
   return (
     <form className="filters">
-      <fieldset className="date-range">
-        <input type="date" value={filters.from} onChange={(e) => setFilters({ ...filters, from: e.target.value })} />
-        <input type="date" value={filters.to} onChange={(e) => setFilters({ ...filters, to: e.target.value })} />
-      </fieldset>
+      <DateRangePicker value={filters} onChange={(range) => setFilters({ ...filters, ...range })} />
""")))),
    E("pascal04_rate_limiter", "PascalCase",
      "Add a RateLimiter type backed by a TokenBucket and wrap the HTTP middleware with it.",
      "Add a rate limiter type backed by a token bucket and wrap the H T T P middleware with it.",
      ("RateLimiter", "TokenBucket"),
      (A("internal/middleware/ratelimit.go", """
+package middleware
+
+import "net/http"
+
+type RateLimiter struct {
+    bucket *TokenBucket
+}
+
+func (l *RateLimiter) Wrap(next http.Handler) http.Handler {
+    return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
+        if !l.bucket.Take() {
+            http.Error(w, "slow down", http.StatusTooManyRequests)
+            return
+        }
+        next.ServeHTTP(w, r)
+    })
+}
"""),)),
    E("pascal05_payment_declined", "PascalCase",
      "Raise PaymentDeclined instead of a bare ValueError when the card is rejected.",
      "Raise payment declined instead of a bare value error when the card is rejected.",
      ("PaymentDeclined", "ValueError"),
      (M("billing/charge.py", H(33, "def charge_card(card: Card, amount: Decimal) -> Receipt:", """
     response = gateway.charge(card.token, amount)
     if response.status == "declined":
-        raise ValueError(f"card declined: {response.reason}")
+        raise PaymentDeclined(response.reason, retryable=response.soft_decline)
     return Receipt.from_response(response)
""")),)),
    E("pascal06_event_bus", "PascalCase",
      "The EventBus now keeps weak references, so subscribers no longer leak after a hot reload.",
      "The event bus now keeps weak references, so subscribers no longer leak after a hot reload.",
      ("EventBus",),
      (M("core/events.py", H(1, "", """
+import weakref
 from collections import defaultdict
"""), H(8, "", """
 class EventBus:
     def __init__(self) -> None:
-        self._handlers: dict[str, list[Handler]] = defaultdict(list)
+        self._handlers: dict[str, weakref.WeakSet[Handler]] = defaultdict(weakref.WeakSet)

     def subscribe(self, topic: str, handler: Handler) -> None:
-        self._handlers[topic].append(handler)
+        self._handlers[topic].add(handler)
""")),)),
    E("pascal07_invoice_line", "PascalCase",
      "Make InvoiceLine a frozen dataclass and compute the total in InvoiceSummary instead.",
      "Make invoice line a frozen data class and compute the total in invoice summary instead.",
      ("InvoiceLine", "InvoiceSummary"),
      (M("billing/invoice.py", H(10, "", """
-@dataclass
+@dataclass(frozen=True)
 class InvoiceLine:
     description: str
     quantity: int
     unit_price: Decimal
-    total: Decimal = Decimal(0)


 class InvoiceSummary:
     def __init__(self, lines: list[InvoiceLine]) -> None:
         self.lines = lines
+        self.total = sum((line.quantity * line.unit_price for line in lines), Decimal(0))
""")),)),
    # --- SCREAMING_CASE ---
    E("scream01_max_retries", "SCREAMING_CASE",
      "Raise MAX_RETRIES from three to five for the upload client.",
      "Raise max retries from three to five for the upload client.",
      ("MAX_RETRIES",),
      (M("uploader/client.py", H(6, "", """
 CHUNK_BYTES = 8 * 1024 * 1024
-MAX_RETRIES = 3
+MAX_RETRIES = 5
 RETRY_STATUSES = {429, 502, 503}
""")),)),
    E("scream02_database_url", "SCREAMING_CASE",
      "Read DATABASE_URL from the environment and stop defaulting to a local sqlite file.",
      "Read database U R L from the environment and stop defaulting to a local sequel light file.",
      ("DATABASE_URL",),
      (M("app/db.py", H(4, "", """
 import os

-DATABASE_URL = "sqlite:///local.db"
+DATABASE_URL = os.environ["DATABASE_URL"]
 engine = create_engine(DATABASE_URL, pool_pre_ping=True)
""")),)),
    E("scream03_timeouts", "SCREAMING_CASE",
      "Lower the DEFAULT_TIMEOUT to ten seconds and make REQUEST_TIMEOUT configurable.",
      "Lower the default timeout to ten seconds and make request timeout configurable.",
      ("DEFAULT_TIMEOUT", "REQUEST_TIMEOUT"),
      (M("client/settings.py", H(2, "", """
-DEFAULT_TIMEOUT = 30
-REQUEST_TIMEOUT = DEFAULT_TIMEOUT
+DEFAULT_TIMEOUT = 10
+REQUEST_TIMEOUT = float(os.getenv("CLIENT_REQUEST_TIMEOUT", DEFAULT_TIMEOUT))
 USER_AGENT = f"acme-client/{__version__}"
""")),)),
    E("scream04_debug_sql", "SCREAMING_CASE",
      "Remove the DEBUG_SQL flag; the logger already has a level for that.",
      "Remove the debug S Q L flag; the logger already has a level for that.",
      ("DEBUG_SQL",),
      (M("internal/store/store.go", H(14, "", """
-const DEBUG_SQL = false
-
 func (s *Store) exec(ctx context.Context, query string, args ...any) error {
-    if DEBUG_SQL {
-        log.Printf("sql: %s %v", query, args)
-    }
+    s.logger.Debug("sql", "query", query, "args", args)
     _, err := s.db.ExecContext(ctx, query, args...)
""")),)),
    E("scream05_buffer_size", "SCREAMING_CASE",
      "Bump BUFFER_SIZE to sixty four kilobytes, small reads were dominating the profile.",
      "Bump buffer size to sixty four kilobytes, small reads were dominating the profile.",
      ("BUFFER_SIZE",),
      (M("src/io.rs", H(3, "", """
-const BUFFER_SIZE: usize = 4096;
+const BUFFER_SIZE: usize = 64 * 1024;

 pub fn copy_stream<R: Read, W: Write>(reader: &mut R, writer: &mut W) -> io::Result<u64> {
     let mut buf = vec![0u8; BUFFER_SIZE];
""")),)),
    E("scream06_api_base_url", "SCREAMING_CASE",
      "Move API_BASE_URL into the env config and delete the hard coded staging host.",
      "Move A P I base U R L into the env config and delete the hard coded staging host.",
      ("API_BASE_URL",),
      (M("src/config.js", H(1, "", """
-export const API_BASE_URL = "https://staging.internal.example.com/api";
+export const API_BASE_URL = import.meta.env.VITE_API_BASE_URL;
 export const PAGE_SIZE = 25;
""")),)),
    E("scream07_log_level", "SCREAMING_CASE",
      "Add LOG_LEVEL and LOG_FORMAT settings so the container can switch to JSON logs.",
      "Add log level and log format settings so the container can switch to jay son logs.",
      ("LOG_LEVEL", "LOG_FORMAT"),
      (M("service/logging_setup.py", H(5, "", """
+LOG_LEVEL = os.getenv("LOG_LEVEL", "INFO")
+LOG_FORMAT = os.getenv("LOG_FORMAT", "text")
+

 def configure_logging() -> None:
-    logging.basicConfig(level=logging.INFO)
+    handler = logging.StreamHandler()
+    handler.setFormatter(JsonFormatter() if LOG_FORMAT == "json" else logging.Formatter())
+    logging.basicConfig(level=LOG_LEVEL, handlers=[handler])
""")),)),
    # --- dotted ---
    E("dotted01_os_environ", "dotted",
      "Stop reading os.environ directly and pass the settings object down instead.",
      "Stop reading O S dot environ directly and pass the settings object down instead.",
      ("os.environ",),
      (M("worker/tasks.py", H(12, "", """
-def send_report(report_id: int) -> None:
-    smtp_host = os.environ["SMTP_HOST"]
+def send_report(report_id: int, settings: Settings) -> None:
+    smtp_host = settings.smtp_host
     report = load_report(report_id)
""")),)),
    E("dotted02_http_client_send", "dotted",
      "Wrap HttpClient.send in a span so we can see slow calls in the traces.",
      "Wrap H T T P client dot send in a span so we can see slow calls in the traces.",
      ("HttpClient.send",),
      (M("lib/http/client.py", H(41, "class HttpClient:", """
     def send(self, request: Request) -> Response:
-        return self._transport.handle(request)
+        # HttpClient.send is where every outgoing call passes: one span each.
+        with tracer.start_as_current_span("http.send", attributes={"url": str(request.url)}):
+            return self._transport.handle(request)
""")),)),
    E("dotted03_json_parse", "dotted",
      "Replace JSON.parse with a safe wrapper; a bad payload crashed the worker.",
      "Replace Jason dot parse with a safe wrapper; a bad payload crashed the worker.",
      ("JSON.parse",),
      (M("worker/consumer.js", H(19, "async function onMessage(message) {", """
-  const payload = JSON.parse(message.body);
+  const payload = safeParse(message.body);
+  if (payload === undefined) {
+    logger.warn({ messageId: message.id }, "dropping malformed payload");
+    return;
+  }
""")),)),
    E("dotted04_monotonic", "dotted",
      "Use time.monotonic instead of time.time for the timeout, the wall clock can jump.",
      "Use time dot monotonic instead of time dot time for the timeout, the wall clock can jump.",
      ("time.monotonic", "time.time"),
      (M("net/poller.py", H(22, "def wait_ready(sock: socket.socket, timeout: float) -> bool:", """
-    deadline = time.time() + timeout
-    while time.time() < deadline:
+    deadline = time.monotonic() + timeout
+    while time.monotonic() < deadline:
         if sock.poll(READ_READY):
""")),)),
    E("dotted05_ctx_done", "dotted",
      "Check ctx.Done in the polling loop so shutdown does not hang forever.",
      "Check C T X dot done in the polling loop so shutdown does not hang forever.",
      ("ctx.Done",),
      (M("internal/poller/poller.go", H(30, "func (p *Poller) Run(ctx context.Context) error {", """
     for {
-        p.pollOnce()
-        time.Sleep(p.interval)
+        p.pollOnce(ctx)
+        select {
+        case <-ctx.Done():
+            return ctx.Err()
+        case <-time.After(p.interval):
+        }
     }
""")),)),
    E("dotted06_session_get", "dotted",
      "Patch requests.Session.get in the test instead of hitting the real server.",
      "Patch requests dot session dot get in the test instead of hitting the real server.",
      ("requests.Session.get",),
      (M("tests/test_sync.py", H(8, "", """
-def test_sync_downloads_feed() -> None:
-    result = sync_feed("https://example.com/feed.xml")
+def test_sync_downloads_feed(monkeypatch: pytest.MonkeyPatch) -> None:
+    monkeypatch.setattr("requests.Session.get", lambda self, url, **kw: FakeResponse(FEED_XML))
+    result = sync_feed("https://example.com/feed.xml")
     assert result.entries
""")),)),
    E("dotted07_math_max", "dotted",
      "Guard against an empty array before calling Math.max, it returned minus infinity.",
      "Guard against an empty array before calling math dot max, it returned minus infinity.",
      ("Math.max",),
      (M("src/stats.js", H(5, "", """
 export function peak(values) {
+  if (values.length === 0) return null;
   return Math.max(...values);
 }
""")),)),
    # --- path ---
    E("path01_net_retry", "path",
      "Move the retry helpers from utils/http.py into a new module, net/retry.py.",
      "Move the retry helpers from utils slash H T T P dot pie into a new module, net slash retry dot pie.",
      ("utils/http.py", "net/retry.py"),
      (M("utils/http.py", H(1, "", """
 import requests
-import time
-
-
-def backoff_delays(base: float = 0.5, attempts: int = 5) -> list[float]:
-    return [base * 2**i for i in range(attempts)]
+
+from net.retry import backoff_delays
""")), A("net/retry.py", """
+def backoff_delays(base: float = 0.5, attempts: int = 5) -> list[float]:
+    return [base * 2**i for i in range(attempts)]
"""))),
    E("path02_configuration_md", "path",
      "Document the new environment variables in docs/configuration.md.",
      "Document the new environment variables in docs slash configuration dot M D.",
      ("docs/configuration.md",),
      (M("docs/configuration.md", H(18, "", """
 | `APP_PORT` | `8080` | Port the server listens on. |
+| `APP_WORKERS` | `4` | Worker processes; `0` means one per core. |
+| `APP_LOG_LEVEL` | `info` | `debug`, `info`, `warning` or `error`. |
""")),)),
    E("path03_main_rs", "path",
      "Fix the Dockerfile so it copies src/main.rs before running cargo build.",
      "Fix the docker file so it copies S R C slash main dot R S before running cargo build.",
      ("Dockerfile", "src/main.rs"),
      (M("Dockerfile", H(4, "", """
 WORKDIR /app
 COPY Cargo.toml Cargo.lock ./
+COPY src/main.rs src/main.rs
 RUN cargo build --release
""")),)),
    E("path04_ci_yml", "path",
      "Add a workflow in .github/workflows/ci.yml that runs the tests on every push.",
      "Add a workflow in dot github slash workflows slash C I dot yaml that runs the tests on every push.",
      (".github/workflows/ci.yml",),
      (A(".github/workflows/ci.yml", """
+name: ci
+on: [push]
+jobs:
+  test:
+    runs-on: ubuntu-latest
+    steps:
+      - uses: actions/checkout@v4
+      - uses: actions/setup-python@v5
+      - run: pip install -e '.[dev]' && pytest -q
"""),)),
    E("path05_legacy_json", "path",
      "Delete config/legacy.json, nothing has read it since the last release.",
      "Delete config slash legacy dot Jason, nothing has read it since the last release.",
      ("config/legacy.json",),
      (D("config/legacy.json", """
-{
-  "theme": "classic",
-  "sidebar": true,
-  "featureFlags": ["oldEditor"]
-}
"""),)),
    E("path06_app_js", "path",
      "Split web/static/app.js into two bundles so the login page loads faster.",
      "Split web slash static slash app dot J S into two bundles so the login page loads faster.",
      ("web/static/app.js",),
      (M("webpack.config.js", H(3, "module.exports = {", """
   entry: {
-    main: "./web/static/app.js",
+    main: "./web/static/app.js",
+    login: "./web/static/login.js",
   },
""")), M("web/static/app.js", H(1, "", """
-import { renderLogin } from "./login";
 import { renderDashboard } from "./dashboard";
""")))),
    E("path07_release_sh", "path",
      "Rename scripts/deploy.sh to scripts/release.sh and update the Makefile target.",
      "Rename scripts slash deploy dot S H to scripts slash release dot S H and update the make file target.",
      ("scripts/deploy.sh", "scripts/release.sh", "Makefile"),
      (R("scripts/deploy.sh", "scripts/release.sh", H(1, "", """
 #!/usr/bin/env bash
-# deploy.sh: tag and push a release
+# release.sh: tag and push a release
 set -euo pipefail
""")), M("Makefile", H(12, "", """
 release:
-    ./scripts/deploy.sh $(VERSION)
+    ./scripts/release.sh $(VERSION)
""")))),
    # --- version ---
    E("version01_python_311", "version",
      "Require Python 3.11 now that we parse the config with the standard library.",
      "Require Python three point eleven now that we parse the config with the standard library.",
      ("3.11",),
      (M("pyproject.toml", H(4, "", """
 description = "Nightly report exporter"
-requires-python = ">=3.9"
-dependencies = ["tomli>=2.0", "httpx>=0.27"]
+requires-python = ">=3.11"
+dependencies = ["httpx>=0.27"]
""")),)),
    E("version02_bump_240", "version",
      "Bump the version to 2.4.0 and add the changelog entry for the release.",
      "Bump the version to two point four point oh and add the change log entry for the release.",
      ("2.4.0",),
      (M("package.json", H(1, "", """
 {
   "name": "@acme/widgets",
-  "version": "2.3.2",
+  "version": "2.4.0",
   "main": "dist/index.js",
""")), M("CHANGELOG.md", H(1, "", """
 # Changelog

+## 2.4.0
+
+- Add the `compact` prop to `WidgetGrid`.
+
 ## 2.3.2
""")))),
    E("version03_numpy_20", "version",
      "Pin numpy below 2.0 until the pandas upgrade lands.",
      "Pin num pie below two point oh until the pandas upgrade lands.",
      ("2.0",),
      (M("requirements.txt", H(3, "", """
-numpy>=1.24
+numpy>=1.24,<2.0
 pandas==1.5.3
 scipy>=1.10
""")),)),
    E("version04_node_2011", "version",
      "Upgrade the base image to Node 20.11, version 18 is no longer supported.",
      "Upgrade the base image to node twenty point eleven, version eighteen is no longer supported.",
      ("20.11",),
      (M("Dockerfile", H(1, "", """
-FROM node:18-alpine AS build
+FROM node:20.11-alpine AS build
 WORKDIR /srv
 COPY package*.json ./
""")),)),
    E("version05_go_122", "version",
      "Update the Go toolchain to 1.22 so we can range over integers.",
      "Update the go tool chain to one point twenty two so we can range over integers.",
      ("1.22",),
      (M("go.mod", H(1, "", """
 module github.com/acme/poller

-go 1.21
+go 1.22

 require (
""")),)),
    E("version06_postgres_162", "version",
      "Drop Postgres 12 from the test matrix and add 16.2 instead.",
      "Drop post gress twelve from the test matrix and add sixteen point two instead.",
      ("16.2",),
      (M(".github/workflows/test.yml", H(9, "jobs:", """
     strategy:
       matrix:
-        postgres: ["12", "15"]
+        postgres: ["15", "16.2"]
     services:
       db:
         image: postgres:${{ matrix.postgres }}
""")),)),
    E("version07_release_091", "version",
      "Release 0.9.1 with the fix for the crash on empty input.",
      "Release zero point nine point one with the fix for the crash on empty input.",
      ("0.9.1",),
      (M("Cargo.toml", H(1, "", """
 [package]
 name = "tidy-csv"
-version = "0.9.0"
+version = "0.9.1"
 edition = "2021"
""")),)),
    # --- issue ---
    E("issue01_empty_cart", "issue",
      "Handle an empty cart at checkout, this fixes issue #42.",
      "Handle an empty cart at checkout, this fixes issue forty two.",
      ("#42",),
      (M("shop/checkout.py", H(15, "def checkout(cart: Cart, customer: Customer) -> Order:", """
+    # An empty cart used to reach the payment provider and fail there (#42).
+    if not cart.items:
+        raise EmptyCart(customer.id)
     total = cart.total()
""")),)),
    E("issue02_revert_cache", "issue",
      "Revert the cache change from pull request #118; it broke the nightly export.",
      "Revert the cache change from pull request one hundred and eighteen; it broke the nightly export.",
      ("#118",),
      (M("export/nightly.py", H(27, "def run_export(day: date) -> Path:", """
-    rows = cached_query(EXPORT_SQL, day)  # #118
+    rows = db.query(EXPORT_SQL, day)  # cached_query returned stale rows, reverted #118
     return write_parquet(rows, OUTPUT_DIR / f"{day}.parquet")
""")),)),
    E("issue03_upload_button", "issue",
      "Closes issue #7. The upload button is disabled while a file is still being read.",
      "Closes issue seven. The upload button is disabled while a file is still being read.",
      ("#7",),
      (M("src/components/Uploader.jsx", H(20, "export function Uploader({ onUpload }) {", """
-      <button onClick={submit}>Upload</button>
+      {/* #7: a second click while reading uploaded a truncated file */}
+      <button onClick={submit} disabled={reading}>Upload</button>
""")),)),
    E("issue04_timezone", "issue",
      "Work around the timezone bug tracked in issue #1024 by storing everything in UTC.",
      "Work around the time zone bug tracked in issue ten twenty four by storing everything in U T C.",
      ("#1024",),
      (M("calendar/models.py", H(44, "class Event(Base):", """
-    starts_at = Column(DateTime)
+    # Stored in UTC until #1024 is fixed upstream; convert at the edges.
+    starts_at = Column(DateTime(timezone=True))
""")),)),
    E("issue05_deleted_users", "issue",
      "Add a regression test for issue #311, where deleted users still showed up in search.",
      "Add a regression test for issue three eleven, where deleted users still showed up in search.",
      ("#311",),
      (M("tests/test_search.py", H(60, "", """
+
+
+def test_deleted_users_are_not_found(client: TestClient) -> None:
+    \"\"\"Regression test for #311.\"\"\"
+    user = make_user(name="Ada")
+    delete_user(user.id)
+    assert client.get("/search", params={"q": "Ada"}).json()["results"] == []
""")),)),
    E("issue06_download_header", "issue",
      "Follow up to issue #256: also escape the file name in the download header.",
      "Follow up to issue two fifty six: also escape the file name in the download header.",
      ("#256",),
      (M("server/downloads.go", H(52, "func serveDownload(w http.ResponseWriter, r *http.Request, f *File) {", """
-    w.Header().Set("Content-Disposition", "attachment; filename="+f.Name)
+    // #256: quotes and newlines in names broke the header.
+    w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": f.Name}))
""")),)),
    E("issue07_null_check", "issue",
      "Fixes issue #89 and issue #90, both caused by the same missing null check in the parser.",
      "Fixes issue eighty nine and issue ninety, both caused by the same missing null check in the parser.",
      ("#89", "#90"),
      (M("src/parser.ts", H(71, "function parseValue(token: Token | null): Value {", """
+  // #89, #90: the lexer returns null at end of input.
+  if (token === null) {
+    throw new ParseError("unexpected end of input");
+  }
   switch (token.kind) {
""")),)),
    # --- flag ---
    E("flag01_dry_run", "flag",
      "Add a --dry-run flag that prints the plan without touching any files.",
      "Add a dash dash dry run flag that prints the plan without touching any files.",
      ("--dry-run",),
      (M("tool/cli.py", H(18, "def build_parser() -> argparse.ArgumentParser:", """
     parser.add_argument("target", type=Path)
+    parser.add_argument("--dry-run", action="store_true", help="print the plan and change nothing")
     parser.add_argument("--jobs", type=int, default=4)
""")),)),
    E("flag02_verbose", "flag",
      "Make --verbose imply --log-level debug, people kept passing both.",
      "Make dash dash verbose imply dash dash log level debug, people kept passing both.",
      ("--verbose", "--log-level"),
      (M("cmd/root.go", H(25, "func init() {", """
     rootCmd.PersistentFlags().BoolVar(&verbose, "verbose", false, "verbose output")
     rootCmd.PersistentFlags().StringVar(&logLevel, "log-level", "info", "log level")
+    // --verbose is the short way of saying --log-level debug.
+    cobra.OnInitialize(func() {
+        if verbose {
+            logLevel = "debug"
+        }
+    })
""")),)),
    E("flag03_output", "flag",
      "Rename the --out option to --output and keep the short alias working.",
      "Rename the dash dash out option to dash dash output and keep the short alias working.",
      ("--out", "--output"),
      (M("src/cli.rs", H(14, "pub struct Args {", """
-    #[arg(short = 'o', long = "out")]
+    /// --output, formerly --out (still accepted).
+    #[arg(short = 'o', long = "output", alias = "out")]
     pub output: PathBuf,
""")),)),
    E("flag04_no_cache", "flag",
      "Pass --no-cache to the docker build in CI, stale layers hid the broken install.",
      "Pass dash dash no cache to the docker build in C I, stale layers hid the broken install.",
      ("--no-cache",),
      (M(".gitlab-ci.yml", H(21, "", """
 build-image:
   stage: build
   script:
-    - docker build -t "$IMAGE_TAG" .
+    - docker build --no-cache -t "$IMAGE_TAG" .
""")),)),
    E("flag05_since", "flag",
      "Support a --since option on the log command that takes a date or a commit.",
      "Support a dash dash since option on the log command that takes a date or a commit.",
      ("--since",),
      (M("src/commands/log.js", H(8, "", """
 program
   .command("log")
+  .option("--since <when>", "a date (2024-01-31) or a commit to start from")
   .action(async (opts) => {
-    await printLog({ limit: opts.limit });
+    await printLog({ limit: opts.limit, since: opts.since });
""")),)),
    E("flag06_legacy_format", "flag",
      "Drop the deprecated --legacy-format flag; it has printed a warning for two releases.",
      "Drop the deprecated dash dash legacy format flag; it has printed a warning for two releases.",
      ("--legacy-format",),
      (M("exporter/cli.py", H(30, "def main(argv: list[str] | None = None) -> int:", """
-    parser.add_argument("--legacy-format", action="store_true", help=argparse.SUPPRESS)
     args = parser.parse_args(argv)
-    if args.legacy_format:
-        warnings.warn("--legacy-format is deprecated", DeprecationWarning, stacklevel=1)
""")),)),
    E("flag07_json", "flag",
      "Add --json to the status command so scripts can parse the output.",
      "Add dash dash Jason to the status command so scripts can parse the output.",
      ("--json",),
      (M("cli/status.py", H(11, "", """
 @click.command()
+@click.option("--json", "as_json", is_flag=True, help="machine-readable output")
-def status() -> None:
-    echo_table(collect_status())
+def status(as_json: bool) -> None:
+    rows = collect_status()
+    click.echo(json.dumps(rows, indent=2)) if as_json else echo_table(rows)
""")),)),
    # --- mixed ---
    E("mixed01_fetch_user_issue", "mixed",
      "Rename getUserById to fetch_user and move it to api/users.py, closes issue #64.",
      "Rename get user by I D to fetch user and move it to A P I slash users dot pie, closes issue sixty four.",
      ("getUserById", "fetch_user", "api/users.py", "#64"),
      (M("api/users.py", H(30, "", """
+
+
+def fetch_user(user_id: int) -> User | None:
+    \"\"\"Was getUserById in views.py (#64).\"\"\"
+    return db.session.get(User, user_id)
""")), M("api/views.py", H(12, "", """
-def getUserById(user_id):
-    return db.session.get(User, user_id)
+from api.users import fetch_user
""")))),
    E("mixed02_load_settings", "mixed",
      "Read DATABASE_URL in load_settings from settings.toml, and fall back to os.environ.",
      "Read database U R L in load settings from settings dot toml, and fall back to O S dot environ.",
      ("DATABASE_URL", "load_settings", "settings.toml", "os.environ"),
      (M("app/config.py", H(9, "", """
 def load_settings(path: Path = Path("settings.toml")) -> Settings:
-    return Settings(database_url=os.environ["DATABASE_URL"])
+    data = tomllib.loads(path.read_text()) if path.exists() else {}
+    url = data.get("DATABASE_URL") or os.environ.get("DATABASE_URL")
+    return Settings(database_url=url)
""")),)),
    E("mixed03_parse_token", "mixed",
      "Return None from parse_token when the JWT has expired, and let AuthMiddleware send the 401.",
      "Return none from parse token when the J W T has expired, and let auth middleware send the four oh one.",
      ("None", "parse_token", "AuthMiddleware"),
      (M("auth/tokens.py", H(17, "def parse_token(raw: str) -> Claims | None:", """
-    claims = jwt.decode(raw, SECRET, algorithms=["HS256"])
+    try:
+        claims = jwt.decode(raw, SECRET, algorithms=["HS256"])
+    except jwt.ExpiredSignatureError:
+        return None
     return Claims(**claims)
""")), M("auth/middleware.py", H(22, "class AuthMiddleware:", """
         claims = parse_token(header.removeprefix("Bearer "))
+        if claims is None:
+            return JSONResponse({"error": "token expired"}, status_code=401)
""")))),
    E("mixed04_max_workers", "mixed",
      "Add a --max-workers flag to cli/run.py and pass it through to WorkerPool.",
      "Add a dash dash max workers flag to C L I slash run dot pie and pass it through to worker pool.",
      ("--max-workers", "cli/run.py", "WorkerPool"),
      (M("cli/run.py", H(14, "def main() -> None:", """
     parser.add_argument("jobs_file", type=Path)
+    parser.add_argument("--max-workers", type=int, default=os.cpu_count())
     args = parser.parse_args()
-    pool = WorkerPool()
+    pool = WorkerPool(max_workers=args.max_workers)
""")),)),
    E("mixed05_use_fetch", "mixed",
      "Require Node 20.11 in package.json and switch useFetch to the built-in fetch.",
      "Require node twenty point eleven in package dot Jason and switch use fetch to the built in fetch.",
      ("20.11", "package.json", "useFetch"),
      (M("package.json", H(5, "", """
   "engines": {
-    "node": ">=16"
+    "node": ">=20.11"
   },
   "dependencies": {
-    "node-fetch": "^2.6.9",
     "react": "^18.2.0"
""")), M("src/hooks/useFetch.js", H(1, "", """
-import fetch from "node-fetch";
 import { useEffect, useState } from "react";

 export function useFetch(url) {
""")))),
    E("mixed06_batch_writer", "mixed",
      "Okay so, MAX_BATCH_SIZE was ignored by BatchWriter.flush. It now splits the rows, see issue #203.",
      "Okay so, max batch size was ignored by batch writer dot flush. It now splits the rows, see issue two oh three.",
      ("MAX_BATCH_SIZE", "BatchWriter.flush", "#203"),
      (M("ingest/writer.py", H(40, "class BatchWriter:", """
     def flush(self) -> None:
-        self.sink.write_rows(self.pending)
+        # BatchWriter.flush ignored MAX_BATCH_SIZE and sent everything at once (#203).
+        for start in range(0, len(self.pending), MAX_BATCH_SIZE):
+            self.sink.write_rows(self.pending[start : start + MAX_BATCH_SIZE])
         self.pending.clear()
""")),)),
    E("mixed07_config_error", "mixed",
      "In src/lib.rs, make parse_config return a ConfigError instead of unwrapping, for release 0.4.0.",
      "In S R C slash lib dot R S, make parse config return a config error instead of unwrapping, "
      "for release zero point four point oh.",
      ("src/lib.rs", "parse_config", "ConfigError", "0.4.0"),
      (M("src/lib.rs", H(20, "", """
-pub fn parse_config(text: &str) -> Config {
-    toml::from_str(text).unwrap()
+/// Since 0.4.0 a bad file is an error, not a panic.
+pub fn parse_config(text: &str) -> Result<Config, ConfigError> {
+    toml::from_str(text).map_err(ConfigError::Syntax)
 }
""")), M("Cargo.toml", H(2, "", """
 name = "confkit"
-version = "0.3.2"
+version = "0.4.0"
""")))),
)


# --- voices and noise --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Voice:
    voice: str
    speed: int  # words per minute
    pitch: int  # 0-99
    word_gap: int  # extra pause between words, units of 10 ms
    snr_db: float | None  # None: clean
    noise: str | None  # "white" | "pink" | None

    def as_json(self) -> dict[str, object]:
        return {"voice": self.voice, "speed": self.speed, "pitch": self.pitch, "word_gap": self.word_gap,
                "snr_db": self.snr_db, "noise": self.noise}


def assign_voices(count: int, seed: int = SEED) -> list[Voice]:
    """Every voice about equally often, speeds/pitches spread over their ranges, noise on about a third."""
    rng = random.Random(seed)
    voices = [VOICES[i % len(VOICES)] for i in range(count)]
    rng.shuffle(voices)
    noisy = set(rng.sample(range(count), round(count * NOISY_SHARE)))
    result = []
    for index, name in enumerate(voices):
        snr = float(rng.randint(*SNR_DB)) if index in noisy else None
        result.append(Voice(voice=name, speed=rng.randint(*SPEED_WPM), pitch=rng.randint(*PITCH),
                            word_gap=rng.choice((0, 1, 2)), snr_db=snr,
                            noise=rng.choice(("white", "pink")) if snr is not None else None))
    return result


def colored_noise(length: int, color: str, rng: np.random.Generator) -> np.ndarray:
    white = rng.standard_normal(length)
    if color == "white":
        return white
    # Pink-ish: shape the spectrum by 1/sqrt(f), so power falls 3 dB per octave like room and fan noise.
    spectrum = np.fft.rfft(white)
    freqs = np.arange(len(spectrum), dtype=np.float64)
    freqs[0] = 1.0
    return np.fft.irfft(spectrum / np.sqrt(freqs), n=length)


def speech_power(signal: np.ndarray, frame: int = 400) -> float:
    """Mean power of the frames within 35 dB of the loudest, so leading/trailing silence and pauses do not
    make the SNR look better than it sounds."""
    frames = signal[: len(signal) // frame * frame].reshape(-1, frame)
    energy = (frames**2).mean(axis=1)
    active = energy[energy > energy.max() * 10 ** (-35 / 10)]
    return float(active.mean())


def add_noise(signal: np.ndarray, snr_db: float, color: str, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    noise = colored_noise(len(signal), color, rng)
    noise *= np.sqrt(speech_power(signal) / (noise**2).mean() / 10 ** (snr_db / 10))
    mixed = signal + noise
    peak = np.abs(mixed).max()
    return mixed * (0.89 / peak) if peak > 0.89 else mixed  # keep headroom instead of clipping


# --- synthesis ---------------------------------------------------------------------------------------------

def espeak_version() -> str:
    out = subprocess.run(["espeak-ng", "--version"], capture_output=True, text=True, check=True).stdout
    match = re.search(r"text-to-speech:\s*(\S+)", out)
    return match.group(1) if match else out.strip()


def _read_wav(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as f:
        frames = f.readframes(f.getnframes())
    return np.frombuffer(frames, dtype="<i2").astype(np.float64) / 32768.0


def _write_wav(path: Path, signal: np.ndarray) -> None:
    pcm = np.clip(np.round(signal * 32767.0), -32768, 32767).astype("<i2")
    with wave.open(str(path), "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(SAMPLE_RATE)
        f.writeframes(pcm.tobytes())


def synthesize(entry: Explanation, voice: Voice, out: Path, work: Path) -> float:
    """Write `out` (FLAC, 16 kHz mono 16-bit); returns its duration in seconds."""
    raw, clean, mixed = work / "raw.wav", work / "clean.wav", work / "mixed.wav"
    subprocess.run(["espeak-ng", "-v", voice.voice, "-s", str(voice.speed), "-p", str(voice.pitch),
                    "-g", str(voice.word_gap), "-w", str(raw), entry.spoken], check=True)
    # -R: repeatable (fixed dither seed); norm: the same peak level whatever the voice; pad: a little
    # room before and after, as a real recording has (and where noise is audible on its own).
    subprocess.run(["sox", "-R", "-G", str(raw), "-r", str(SAMPLE_RATE), "-c", "1", "-b", "16", str(clean),
                    "norm", "-3", "pad", "0.3", "0.4"], check=True)
    source = clean
    if voice.snr_db is not None and voice.noise is not None:
        signal = add_noise(_read_wav(clean), voice.snr_db, voice.noise, zlib.crc32(entry.id.encode()) ^ SEED)
        _write_wav(mixed, signal)
        source = mixed
    out.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["sox", "-R", str(source), "-C", "8", str(out)], check=True)
    with wave.open(str(source), "rb") as f:
        return f.getnframes() / f.getframerate()


def check_entry(entry: Explanation, diff: str) -> None:
    for identifier in entry.identifiers:
        if identifier not in entry.text:
            raise ValueError(f"{entry.id}: identifier {identifier!r} not in text")
        if identifier not in diff:
            raise ValueError(f"{entry.id}: identifier {identifier!r} not in diff")


def build(out_dir: Path, only: str | None = None) -> list[dict[str, object]]:
    for tool in ("espeak-ng", "sox"):
        if not shutil.which(tool):
            sys.exit(f"make_corpus: {tool} not found (apt-get install espeak-ng sox)")
    ids = [entry.id for entry in CORPUS]
    if len(set(ids)) != len(ids):
        raise ValueError("duplicate ids in CORPUS")
    version = espeak_version()
    voices = assign_voices(len(CORPUS))
    diffs = [render_diff(entry.files) for entry in CORPUS]
    for entry, diff in zip(CORPUS, diffs, strict=True):
        check_entry(entry, diff)  # all of them before minutes of synthesis
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for entry, voice, diff in zip(CORPUS, voices, diffs, strict=True):
            rel = f"audio/{entry.id}.flac"
            if only and not re.search(only, entry.id):
                continue
            duration = synthesize(entry, voice, out_dir / rel, Path(tmp))
            rows.append({
                "id": entry.id, "split": "dev", "path": rel, "class": entry.cls, "text": entry.text,
                "spoken": entry.spoken, "identifiers": list(entry.identifiers), "duration_s": round(duration, 2),
                "voice": voice.as_json(), "synthesizer": f"espeak-ng {version}", "espeak_ng_version": version,
                "license": "CC0-1.0", "diff": diff,
            })
            print(f"{entry.id:32s} {duration:5.1f}s {voice.voice:16s} snr={voice.snr_db}", file=sys.stderr)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="corpus folder (default: %(default)s)")
    parser.add_argument("--only", help="regex of ids to (re)synthesize; the manifest is then not rewritten")
    args = parser.parse_args(argv)
    rows = build(args.out, args.only)
    if args.only:
        return 0
    manifest = args.out / "manifest.jsonl"
    manifest.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows))
    total = sum(float(row["duration_s"]) for row in rows)  # type: ignore[arg-type]
    print(f"wrote {len(rows)} clips, {total:.0f} s of audio, to {manifest}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
