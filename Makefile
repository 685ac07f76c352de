# zoneops: the two commands a new machine needs are `make run` and `make test`.
SHELL := /bin/bash
MODULES := libs/platform libs/events services/tenants services/allocation services/incentives services/zoneops
PKGS := $(addprefix ./,$(addsuffix /...,$(MODULES)))
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
REDOCLY := @redocly/cli@2.77.0
PROMTOOL ?= promtool
DATA ?= ./data
ARGS ?=

.PHONY: run demo test test-short lint tidy build bench fuzz clean alerts-test openapi-lint

## run: start every service in one process on embedded NATS + SQLite under ./data
# The binary is built, then exec'd: the shell becomes zoneops, which stops cleanly on Ctrl-C
# and exits 0, so make reports no error (`go run` turned the interrupt into exit status 1).
run:
	@mkdir -p bin
	go build -o bin/ ./services/zoneops/cmd/zoneops ./services/zoneops/cmd/zonectl
	exec ./bin/zoneops run --data-dir $(DATA) $(ARGS)

## demo: the same, and seed the demo data (zones, plots, a building, licences, leases) through the APIs
demo:
	@mkdir -p bin
	go build -o bin/ ./services/zoneops/cmd/zoneops ./services/zoneops/cmd/zonectl
	exec ./bin/zoneops run --data-dir $(DATA) --demo $(ARGS)

## test: every test of every module, with the race detector; the PostgreSQL suites run when
## ZONEOPS_TEST_POSTGRES_DSN points at a server (under CI=true they must)
test:
	@go test -race -count=1 -timeout 20m $(PKGS); rc=$$?; \
	if [ -z "$$ZONEOPS_TEST_POSTGRES_DSN" ]; then \
	  echo "note: the PostgreSQL suites did not run (set ZONEOPS_TEST_POSTGRES_DSN=postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable to run them)"; \
	fi; exit $$rc

## test-short: the same without the race detector, for a quick loop
test-short:
	go test -count=1 $(PKGS)

## lint: gofmt, go vet and staticcheck (pinned)
lint:
	@out=$$(gofmt -l $(MODULES)); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	go vet $(PKGS)
	go run $(STATICCHECK) $(PKGS)

## alerts-test: promtool checks the alert rules, runs their unit tests (deploy/prometheus/alerts*_test.yml)
## and lints the /metrics of tenants and allocation started in-process (promtool is in Debian's
## `prometheus` package; the target fails when it is missing)
alerts-test:
	@command -v $(PROMTOOL) >/dev/null || { echo "promtool not found: apt-get install prometheus (Debian), or set PROMTOOL"; exit 1; }
	$(PROMTOOL) check rules deploy/prometheus/alerts.yml
	$(PROMTOOL) check config --syntax-only deploy/prometheus/prometheus.yml
	cd deploy/prometheus && $(PROMTOOL) test rules alerts_test.yml alerts_week_test.yml
	ZONEOPS_PROMTOOL=$(PROMTOOL) go test -count=1 -run 'Promtool|EveryAlertHasAUnitTest' ./services/zoneops/internal/deploycheck

## openapi-lint: an independent OpenAPI linter (pinned @redocly/cli, from npm) over every
## service's api/openapi.yaml; rules in redocly.yaml, errors fail
openapi-lint:
	REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true npx --yes $(REDOCLY) lint --config redocly.yaml services/*/api/openapi.yaml

## tidy: go mod tidy in every module, then sync the workspace
tidy:
	@for m in $(MODULES); do (cd $$m && go mod tidy) || exit 1; done
	go work sync

## build: the binaries into ./bin
build:
	@mkdir -p bin
	go build -o bin/ ./services/zoneops/cmd/zoneops ./services/zoneops/cmd/zonectl ./services/tenants/cmd/tenants ./services/allocation/cmd/allocation

## bench: outbox relay throughput and commit-to-ack latency, then allocation's plan import,
## occupancy and contended lease acceptance, then tenants' API write rate beside the raw insert
## rate at 1, 8 and 32 clients (SQLite, and PostgreSQL when ZONEOPS_TEST_POSTGRES_DSN is set)
bench:
	go run ./libs/platform/outbox/cmd/outboxbench
	go run ./services/allocation/cmd/allocationbench
	go run ./services/tenants/cmd/tenantsload

## fuzz: a short run of every fuzz target (seeds also run in `make test`)
fuzz:
	go test -run '^$$' -fuzz FuzzDecode -fuzztime 30s ./libs/events

clean:
	rm -rf bin $(DATA)
