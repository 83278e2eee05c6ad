# Shared by scripts/engine-env.sh and scripts/tool-env.sh (sourced, not run): a pinned
# virtual environment kept up to date by a stamp, the hash of what it was built from.
# The caller defines say() and sets python, venv and want (the hash of its inputs).

# Exits with a hint unless $python runs and is at least version $1 (e.g. 3.11).
require_python() {
  local minimum="$1"
  if ! command -v "$python" >/dev/null 2>&1; then
    say "error: '$python' was not found. Install Python $minimum or newer (Debian: apt-get install python3 python3-venv) or point FRAMEPACK_PYTHON at one."
    exit 2
  fi
  if ! "$python" -c "import sys; sys.exit(0 if sys.version_info >= tuple(map(int, '$minimum'.split('.'))) else 1)"; then
    say "error: $("$python" --version 2>&1) is too old; Python $minimum or newer is needed (set FRAMEPACK_PYTHON)."
    exit 2
  fi
}

stamp_file() { printf '%s/.framepack-stamp' "$venv"; }

# True when the venv exists and was built from the same inputs.
venv_is_current() {
  [[ -x "$venv/bin/python" && -f "$(stamp_file)" && "$(cat "$(stamp_file)")" == "$want" ]]
}

# Creates the venv if missing, runs `pip install "$@"` in it, then writes the stamp.
# $1 names what is installed, for the messages.
venv_install() {
  local what="$1"
  shift
  if [[ ! -x "$venv/bin/python" ]]; then
    say "creating the virtual environment in $venv"
    if ! "$python" -m venv "$venv" >&2; then
      say "error: '$python -m venv' failed. On Debian install python3-venv."
      exit 2
    fi
  fi
  if ! "$venv/bin/python" -m pip install --disable-pip-version-check --progress-bar off -q "$@" >&2; then
    say "error: pip could not install $what; see the messages above (a package missing from the index, or no network)."
    exit 3
  fi
  echo "$want" >"$(stamp_file)"
}
