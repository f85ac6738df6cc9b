#!/usr/bin/env bash
# Installs every Debian 12 package that Cairn's build, tests and notebooks need.
# Idempotent; run as root on a fresh Debian 12 machine (or with sudo).
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config git
  # fixed libraries (see README "Dependencies")
  libsimgrid-dev libisal-dev libeigen3-dev libyaml-cpp-dev
  libboost-dev libboost-graph-dev
  # Qt for cairn-planner: Widgets, Charts (and its OpenGL dependency), QTest,
  # the offscreen/xcb platform plugins, and fonts for charts and the PDF report
  qt6-base-dev qt6-charts-dev libqt6opengl6-dev libgl-dev libvulkan-dev qt6-qpa-plugins
  fonts-dejavu-core
  # the planner's report tests read the exported PDF's text and render its pages (pdftotext, pdftoppm)
  poppler-utils
  libgtest-dev libgmock-dev libbenchmark-dev
  # replace hand-written code: CLI parsing, JSON output, the path hash
  libcli11-dev nlohmann-json3-dev libxxhash-dev
  # HMAC-SHA256 for the wire protocol's authenticated frames (OpenSSL's libcrypto)
  libssl-dev
  # GUI tests need a real (virtual) display
  xvfb xauth
  # the wire-protocol fuzz test (tests/cluster/fuzz): clang++ and libFuzzer
  clang libclang-rt-14-dev
  # notebooks/ and their test (jupyter nbconvert --execute on Debian's python3)
  jupyter-nbconvert python3-nbconvert python3-ipykernel python3-matplotlib python3-pandas python3-yaml
  # cairn sweep --slurm and its test, which starts a single-node Slurm (munged, slurmctld, slurmd)
  slurm-wlm munge
  # cairn mount (libfuse3) and its test: fusermount3, and DICOM tools (dcmtk: storescp as the receiver
  # writing into the mount, storescu to send, img2dcm to make a study, dcmdump to parse it; rsync copies a tree in)
  libfuse3-dev fuse3 dcmtk rsync
)

if [ "$(id -u)" -ne 0 ]; then
  echo "setup.sh: must run as root (apt-get install); try: sudo $0" >&2
  exit 1
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup.sh: all ${#packages[@]} packages already installed"
  exit 0
fi

echo "setup.sh: installing ${#missing[@]} packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${missing[@]}"
