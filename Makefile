# docseal: `make run` starts the local server with demo data; `make test` runs every check.
SHELL := /bin/sh
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
# the local OpenID Connect provider `make run` starts beside docseal (development only)
IDP_PORT ?= 9400
export DOCSEAL_HOME ?= $(HOME)/.docseal
# QR codes, share links and receipts point at the server `make run` starts.
RUN_URL = $${DOCSEAL_PUBLIC_URL:-http://127.0.0.1:$(PORT)}

.PHONY: run test test-service lint package bench bench-decode bench-import bench-lambda corpus screenshots install clean help

help:
	@echo "make run    install everything, seed demo data, serve on http://127.0.0.1:$(PORT)"
	@echo "make test   install everything and run lint, type checks and the whole test suite"
	@echo "make test-service  the service unit tier alone (in-memory adapters, seconds)"
	@echo "make bench  verification and import-time benchmarks"
	@echo "make corpus / make bench-decode  build the QR image corpus; decoders side by side"
	@echo "make bench-import  100,000 identity rows into SQLite and DynamoDB (moto), rows/s"
	@echo "make bench-lambda  the handler on the AWS adapters: ms, memory, AWS calls, cost per million"
	@echo "make screenshots  refresh docs/screenshots from the running pages"
	@echo "make package  build out/package (deployment.zip + sam.yaml for AWS) and check it"

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml scripts/find-python312.sh
	@./scripts/system-deps.sh libzbar0
	@PY=$$(./scripts/find-python312.sh) || exit 1; \
	if [ ! -x $(BIN)/python ] || ! $(BIN)/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))'; then \
		rm -rf $(VENV); echo "Creating $(VENV) with $$PY"; "$$PY" -m venv $(VENV) || exit 1; \
	fi
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	@DOCSEAL_PUBLIC_URL=$(RUN_URL) $(BIN)/docseal demo > /dev/null
	@echo ""
	@echo "docseal is starting on http://127.0.0.1:$(PORT)/  (state in $(DOCSEAL_HOME))"
	@echo "  Open http://127.0.0.1:$(PORT)/ and upload a demo QR image or PDF, for example:"
	@echo "    $(DOCSEAL_HOME)/demo/birth-registration/qr.png  (holder ID 001325012345)"
	@echo "  Demo QR images and printable PDFs: $(DOCSEAL_HOME)/demo/*/qr.png, result.pdf"
	@echo "  Sign in at http://127.0.0.1:$(PORT)/signin through the local OpenID Connect provider"
	@echo "    on http://127.0.0.1:$(IDP_PORT) (one click: citizen 001325012345, officer.thdv, admin.docseal)"
	@echo "  Press Ctrl+C to stop."
	@echo ""
	@$(BIN)/python -m oidc_provider_mock --host 127.0.0.1 --port $(IDP_PORT) --require-nonce \
		--user-claims-file scripts/local-idp-users.json 2>"$(DOCSEAL_HOME)/local-idp.log" & idp=$$!; \
	trap 'kill $$idp 2>/dev/null' EXIT INT TERM; \
	DOCSEAL_PUBLIC_URL=$(RUN_URL) DOCSEAL_OIDC_ISSUER=$${DOCSEAL_OIDC_ISSUER:-http://127.0.0.1:$(IDP_PORT)} \
		$(BIN)/docseal serve --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The Lambda package and its CloudFormation template (infra/docseal.yaml merged into
# Chalice's), then cfn-lint and the package's own checks (scripts/check_package.py).
package: $(STAMP)
	@rm -rf out/package
	AWS_DEFAULT_REGION=$${AWS_DEFAULT_REGION:-ap-southeast-1} $(BIN)/chalice package --stage prod \
		--merge-template infra/docseal.yaml --template-format yaml out/package
	$(BIN)/cfn-lint out/package/sam.yaml
	$(BIN)/python scripts/check_package.py out/package

test: lint package
	@./scripts/system-deps.sh chromium
	$(BIN)/python -m pytest -p no:cacheprovider -n auto

test-service: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/service

screenshots: $(STAMP)
	@./scripts/system-deps.sh chromium
	$(BIN)/python -m tests.e2e.browser docs/screenshots

bench: $(STAMP)
	$(BIN)/python bench/bench_verify.py

corpus: $(STAMP)
	$(BIN)/python bench/corpus.py out/corpus
	$(BIN)/python bench/corpus.py out/corpus-20261202 --seed 20261202 --home out/corpus/.docseal-home

bench-decode: $(STAMP)
	$(BIN)/python bench/bench_decode.py out/corpus out/corpus-20261202

bench-import: $(STAMP)
	$(BIN)/python bench/bench_import.py 100000

bench-lambda: $(STAMP)
	$(BIN)/python bench/bench_lambda.py

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis
