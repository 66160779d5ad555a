#!/usr/bin/env bash
# Creates ml/.venv with ml/requirements.txt; safe to run again. Packages come from pip's own configuration
# (PIP_INDEX_URL, pip.conf), so a local mirror works the same as PyPI.
set -euo pipefail

ML="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[ -x "$ML/.venv/bin/python" ] || python3 -m venv "$ML/.venv"
"$ML/.venv/bin/pip" install --quiet -r "$ML/requirements.txt"
echo "ml/.venv ready: $("$ML/.venv/bin/python" -c 'import sklearn, onnx, onnxruntime; print("scikit-learn", sklearn.__version__, "onnx", onnx.__version__, "onnxruntime", onnxruntime.__version__)')"
