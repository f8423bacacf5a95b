#!/bin/sh
# Render a summary .docx to PNG pages the way a Chinese office would show it.
#
#   docs/render_summary_preview.sh [X.docx] [OUT_PREFIX]
#
# Without X.docx it renders the sample summary (summaries/documents/sample.py).
# Pages are written as OUT_PREFIX1.png, OUT_PREFIX2.png, … (default
# docs/summary-sample-page). DPI (default 100) and PAGES (default 1) may be set
# in the environment.
#
# Needs LibreOffice and poppler (see /work/shared/TOOLCHAIN.md):
#   apt-get install -y libreoffice-writer-nogui poppler-utils fonts-noto-cjk fonts-arphic-ukai
# The official fonts are not on a Linux machine; docs/fonts.conf maps them to free
# look-alikes for the preview only (the .docx keeps the official names).
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DOCX=${1:-}
OUT=${2:-$ROOT/docs/summary-sample-page}
DPI=${DPI:-100}
PAGES=${PAGES:-1}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

if [ -z "$DOCX" ]; then
    DOCX=$WORK/summary-sample.docx
    (cd "$ROOT" && DJANGO_SETTINGS_MODULE=yangquan_tracker.settings.test .venv/bin/python -c "
import sys, django
django.setup()
from summaries.documents.docx import write_docx
from summaries.documents.sample import sample_summary
write_docx(sample_summary(), sys.argv[1])
" "$DOCX")
fi

NAME=$(basename "$DOCX" .docx)
FONTCONFIG_FILE=$ROOT/docs/fonts.conf soffice -env:UserInstallation=file://$WORK/lo \
    --headless --convert-to pdf --outdir "$WORK" "$DOCX" >/dev/null
pdftoppm -png -r "$DPI" -f 1 -l "$PAGES" "$WORK/$NAME.pdf" "$WORK/page"
i=1
for page in $(ls "$WORK"/page-*.png | sort); do
    cp "$page" "$OUT$i.png"
    echo "$OUT$i.png"
    i=$((i + 1))
done
