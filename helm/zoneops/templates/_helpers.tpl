{{/*
Chart name, overridable.
*/}}
{{- define "zoneops.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Fully qualified app name: the release name if it already contains the chart name, else
<release>-<chart>. Trimmed so that "<fullname>-<service>" stays within 63 characters.
*/}}
{{- define "zoneops.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 50 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 50 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 50 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Name of one service's objects. Call with (dict "root" $ "name" "tenants").
*/}}
{{- define "zoneops.serviceName" -}}
{{- printf "%s-%s" (include "zoneops.fullname" .root) .name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "zoneops.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels of the release's objects that belong to no one service.
*/}}
{{- define "zoneops.commonLabels" -}}
helm.sh/chart: {{ include "zoneops.chart" . }}
app.kubernetes.io/name: {{ include "zoneops.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: zoneops
{{- end }}

{{/*
Labels of one service's objects. Call with (dict "root" $ "name" "tenants").
*/}}
{{- define "zoneops.labels" -}}
{{ include "zoneops.commonLabels" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{/*
Selector labels of one service: stable across upgrades, so never the version.
*/}}
{{- define "zoneops.selectorLabels" -}}
app.kubernetes.io/name: {{ include "zoneops.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{/*
Image of one service: services.<name>.image, or <registry>/<repositoryPrefix><name>:<tag>.
*/}}
{{- define "zoneops.image" -}}
{{- $img := .root.Values.image }}
{{- if .svc.image }}
{{- .svc.image }}
{{- else }}
{{- printf "%s/%s%s:%s" $img.registry $img.repositoryPrefix .name ($img.tag | default .root.Chart.AppVersion) }}
{{- end }}
{{- end }}

{{/*
Environment variable prefix of one service: ZONEOPS_<NAME>_.
*/}}
{{- define "zoneops.envPrefix" -}}
{{- printf "ZONEOPS_%s_" (.name | upper | replace "-" "_") }}
{{- end }}

{{/*
Fails rendering on settings without which the services would run but be wrong.
*/}}
{{- define "zoneops.validate" -}}
{{- if not .Values.nats.url }}
{{- fail "nats.url is required: without it every pod starts its own embedded NATS server and replicas do not share events" }}
{{- end }}
{{- if not .Values.nats.credentials.secretPrefix }}
{{- fail "nats.credentials.secretPrefix is required: each service logs in to NATS as its own user from the Secret <prefix><service>; without credentials anyone who reaches NATS can publish events" }}
{{- end }}
{{- if not .Values.postgres.existingSecret }}
{{- fail "postgres.existingSecret is required: without it every pod keeps its own SQLite file" }}
{{- end }}
{{- if and (not .Values.auth.jwksUrl) (not .Values.auth.jwtSecret.existingSecret) }}
{{- fail "set auth.jwksUrl (production) or auth.jwtSecret.existingSecret: otherwise tokens are checked against the public development secret" }}
{{- end }}
{{- end }}

{{/*
Replicas of one service: services.<name>.replicas when set (0 included), else replicas.
Call with (dict "root" $ "svc" $svc).
*/}}
{{- define "zoneops.replicas" -}}
{{- if hasKey .svc "replicas" }}{{ .svc.replicas }}{{ else }}{{ .root.Values.replicas }}{{ end }}
{{- end }}
