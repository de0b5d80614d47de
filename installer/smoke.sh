#!/usr/bin/env bash
# CI for installer/ (called by .ci/run after .ci/setup; see installer/README.md):
#  1. makensis -WX compiles the real installer/windows/schoolhr.nsi around a placeholder
#     payload, so a broken script, or one with a warning, fails;
#  2. PyInstaller builds installer/schoolhr.spec (one folder) from scratch on Linux, and the
#     bundled program prints the package's version and passes `self-test` offscreen (main window,
#     Qt's zh-TW strings, a checklist PDF with the bundled font, QtPdf, the database).
# Everything is built in a temporary folder and removed afterwards; nothing is cached between
# runs. Uses .venv/bin/python (PYTHON=... picks another interpreter). Exits non-zero on any
# failure and prints the time of each part.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-.venv/bin/python}

now() { date +%s.%N; }
since() { awk -v start="$1" -v end="$(now)" 'BEGIN { printf "%.1f", end - start }'; }
fail() {
  echo "installer/smoke.sh: $*" >&2
  exit 1
}

started=$(now)
scratch=$(mktemp -d "${TMPDIR:-/tmp}/schoolhr-installer.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
version=$("$python" -c "import schoolhr; print(schoolhr.__version__)")

# -- 1. the Windows installer script ------------------------------------------------------------
if ! command -v makensis >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends nsis >/dev/null 2>&1 \
      || { apt-get update -qq && apt-get install -y -qq --no-install-recommends nsis >/dev/null; }
  else
    fail "makensis not found: install NSIS (Debian package nsis) or run as root"
  fi
fi
nsis_started=$(now)
payload="$scratch/payload"
mkdir -p "$payload/_internal"
echo "placeholder for the PyInstaller output" >"$payload/SchoolHR.exe"
echo "placeholder" >"$payload/_internal/placeholder.txt"
setup="$scratch/SchoolHR-$version-setup.exe"
TMPDIR="$scratch" makensis -WX -V2 -DVERSION="$version" -DPAYLOAD="$payload" -DOUTFILE="$setup" \
  installer/windows/schoolhr.nsi || fail "makensis could not compile installer/windows/schoolhr.nsi"
[ -s "$setup" ] || fail "makensis wrote no installer"
nsis_seconds=$(since "$nsis_started")
echo "NSIS: schoolhr.nsi compiled with -WX (version $version) in ${nsis_seconds} s"

# -- 2. the PyInstaller bundle ------------------------------------------------------------------
# PyInstaller is a build tool, not a dependency of the app: it comes from the `installer` extra.
requirements=$("$python" -c '
import tomllib
with open("pyproject.toml", "rb") as file:
    print(*tomllib.load(file)["project"]["optional-dependencies"]["installer"])
')
# shellcheck disable=SC2086 # one word per requirement
"$python" -m pip install -q --disable-pip-version-check $requirements

build_started=$(now)
"$python" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$scratch/dist" --workpath "$scratch/work" installer/schoolhr.spec \
  || fail "PyInstaller could not build installer/schoolhr.spec"
build_seconds=$(since "$build_started")
bundle="$scratch/dist/SchoolHR"
program="$bundle/SchoolHR"
[ -x "$program" ] || fail "the bundle has no SchoolHR program"

# What must not be in the bundle: tests, build scripts, development tools, unused Qt modules.
unwanted=$(cd "$bundle" && find . \( -path "*/tests/*" -o -name "make_*.py" -o -name "*pytest*" \
  -o -name "*hypothesis*" -o -name "*Qt6Quick*" -o -name "*Qt6Qml*" -o -name "*WebEngine*" \
  -o -name "*Qt6Multimedia*" -o -name "*Qt63D*" -o -name "*VirtualKeyboard*" \) -print | head -5)
[ -z "$unwanted" ] || fail "the bundle holds files it does not need: $unwanted"

run_started=$(now)
printed=$("$program" --version) || fail "the bundled program failed on --version"
[ "$printed" = "schoolhr $version" ] || fail "the bundle says '$printed', expected 'schoolhr $version'"
status=0
QT_QPA_PLATFORM=offscreen "$program" --data-dir "$scratch/data" self-test >"$scratch/self-test.txt" \
  2>&1 || status=$?
cat "$scratch/self-test.txt"
[ "$status" = 0 ] || fail "the bundled program's self-test failed (exit code $status)"
grep -q "內嵌字型" "$scratch/self-test.txt" || fail "self-test printed no PDF with the bundled font"
run_seconds=$(since "$run_started")

size=$(du -sh "$bundle" | cut -f1)
echo "PyInstaller: one-folder bundle of $size built in ${build_seconds} s;" \
  "--version and self-test passed in ${run_seconds} s"
echo "installer/smoke.sh: both checks passed in $(since "$started") s" \
  "(NSIS ${nsis_seconds} s, bundle build ${build_seconds} s, bundle run ${run_seconds} s)"
