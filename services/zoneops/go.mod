module github.com/zoneops/zoneops/services/zoneops

go 1.26
