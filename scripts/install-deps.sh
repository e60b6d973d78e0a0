#!/usr/bin/env bash
# Installs the Debian 12 packages radveil needs to build, test and run. Idempotent: it asks apt
# only for what is missing, so a second run costs a few dpkg queries and nothing else.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config
  libdcmtk-dev dcmtk          # DICOM I/O, codecs (dcmtk tools are used by the tests as a second reader)
  libssl-dev                  # HMAC-SHA256, random keys
  libsqlite3-dev              # state: job journal, recipients, consent registry, export decisions
  libcli11-dev nlohmann-json3-dev libfmt-dev
  libtomlplusplus-dev         # the consent policy file (TOML)
  libopencv-dev opencv-data   # image operations, Haar face cascades (face removal check)
  libdlib-dev                 # HOG face detector (face removal check)
  libtesseract-dev tesseract-ocr-eng  # OCR of text burned into pixels
  libinsighttoolkit5-dev      # ITK: registration of the head template for face removal
  mricron-data                # the Colin27 head template (ch2, ch2bet) face removal registers to
  libopenjp2-7-dev            # JPEG 2000 pixel data, which DCMTK's open-source codecs cannot decode
  libcurl4-openssl-dev        # the gateway's DICOMweb (STOW-RS) destinations
  libgtest-dev                # unit tests
  fonts-dejavu-core fonts-dejavu-extra  # TrueType faces the tests burn text in (with OpenCV's freetype module)
  zlib1g-dev                  # tests inflate deflated output to search its bytes
  dicom3tools python3-minimal # dciodvfy: IOD conformance of de-identified output (compared by a script)
  python3-nacl                # an independent Ed25519 verifier of the ledger's signed notes (a test)
  rsyslog rsyslog-gnutls openssl  # a TLS syslog collector the audit test starts (openssl makes its certificates)
  orthanc orthanc-dicomweb    # PACS and research destination (C-STORE, STOW-RS) in the gateway's tests
  time                        # /usr/bin/time -v: peak memory in the benchmark
  chromium                    # headless: the scan report test opens the HTML page, takes a screenshot
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "installing: ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
