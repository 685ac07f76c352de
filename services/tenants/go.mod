module github.com/zoneops/zoneops/services/tenants

go 1.26.0

require github.com/zoneops/zoneops/libs/platform v0.0.0

replace github.com/zoneops/zoneops/libs/platform => ../../libs/platform
