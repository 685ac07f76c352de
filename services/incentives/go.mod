module github.com/zoneops/zoneops/services/incentives

go 1.26.0

require (
	github.com/zoneops/zoneops/libs/events v0.0.0
	github.com/zoneops/zoneops/libs/platform v0.0.0
	go.yaml.in/yaml/v3 v3.0.6
	pgregory.net/rapid v1.3.0
)

require github.com/google/uuid v1.6.0 // indirect

replace (
	github.com/zoneops/zoneops/libs/events => ../../libs/events
	github.com/zoneops/zoneops/libs/platform => ../../libs/platform
)
