{{/*
The ships this release renders, as a YAML list of value maps: the top-level values for one ship,
or each entry of .Values.ships merged over them (only .Values.onlyShip when it is set).
*/}}
{{- define "ship.instances" -}}
{{- $base := omit (deepCopy .Values) "ships" "onlyShip" -}}
{{- $out := list -}}
{{- if .Values.ships -}}
{{- $ids := list -}}
{{- range $i, $entry := .Values.ships -}}
{{- if not $entry.shipId -}}
{{- fail (printf "ships[%d].shipId is required" $i) -}}
{{- end -}}
{{- if has $entry.shipId $ids -}}
{{- fail (printf "ships: shipId %q is listed twice" $entry.shipId) -}}
{{- end -}}
{{- $ids = append $ids $entry.shipId -}}
{{- if or (not $.Values.onlyShip) (eq $.Values.onlyShip $entry.shipId) -}}
{{- $out = append $out (mergeOverwrite (deepCopy $base) (deepCopy $entry)) -}}
{{- end -}}
{{- end -}}
{{- if and .Values.onlyShip (not (has .Values.onlyShip $ids)) -}}
{{- fail (printf "onlyShip %q is not in ships (%s)" .Values.onlyShip (join ", " $ids)) -}}
{{- end -}}
{{- else -}}
{{- $out = list (set $base "shipId" ($base.shipId | default .Release.Name)) -}}
{{- end -}}
{{- range $out -}}
{{- if not (regexMatch "^[a-z0-9][a-z0-9._-]{0,63}$" .shipId) -}}
{{- fail (printf "shipId %q: a lower-case letter or digit, then up to 63 of a-z 0-9 . _ -" .shipId) -}}
{{- end -}}
{{- with .kafka.sasl.mechanism -}}
{{- if not (has (lower .) (list "plain" "scram-sha-256" "scram-sha-512")) -}}
{{- fail (printf "kafka.sasl.mechanism must be plain, scram-sha-256 or scram-sha-512 (got %q)" .) -}}
{{- end -}}
{{- end -}}
{{- if and .kafka.sasl.mechanism (not .kafka.sasl.username) -}}
{{- fail "kafka.sasl.username is required when kafka.sasl.mechanism is set" -}}
{{- end -}}
{{- if not (has .database.client (list "sqlite" "postgres")) -}}
{{- fail (printf "database.client must be sqlite or postgres (got %q)" .database.client) -}}
{{- end -}}
{{- end -}}
{{- toYaml $out -}}
{{- end -}}

{{/* Everything below takes a context dict: (dict "V" <ship values> "R" $) */}}

{{- define "ship.fullname" -}}
{{- printf "%s-%s" (.V.fullnameOverride | default "offline-sync") .V.shipId | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "ship.selectorLabels" -}}
app.kubernetes.io/name: offline-sync-ship
app.kubernetes.io/instance: {{ .R.Release.Name }}
app.kubernetes.io/component: ship
offline-sync/ship-id: {{ .V.shipId | quote }}
{{- end -}}

{{- define "ship.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .R.Chart.Name .R.Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "ship.selectorLabels" . }}
app.kubernetes.io/version: {{ .V.image.tag | default .R.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .R.Release.Service }}
app.kubernetes.io/part-of: offline-sync
{{- end -}}

{{- define "ship.secretName" -}}
{{- .V.secrets.existingSecret | default (include "ship.fullname" .) -}}
{{- end -}}

{{- define "ship.kafkaTlsDir" -}}/etc/offline-sync/kafka-tls{{- end -}}

{{- define "ship.configData" -}}
{{- $v := .V -}}
SYNC_SHIP_ID: {{ $v.shipId | quote }}
PORT: {{ $v.port | int64 | quote }}
HOST: "0.0.0.0"
LOG_LEVEL: {{ $v.config.logLevel | quote }}
SYNC_BATCH_SIZE: {{ $v.config.batchSize | int64 | quote }}
SYNC_RETRY_ATTEMPTS: {{ $v.config.retryAttempts | int64 | quote }}
SYNC_RETRY_DELAY: {{ $v.config.retryDelay | int64 | quote }}
SYNC_CONNECTIVITY_CHECK_INTERVAL: {{ $v.config.connectivityCheckInterval | int64 | quote }}
SYNC_HEARTBEAT_INTERVAL: {{ $v.config.heartbeatInterval | int64 | quote }}
SYNC_DEBOUNCE_MS: {{ $v.config.debounceMs | int64 | quote }}
SYNC_RETENTION_DAYS: {{ $v.config.retentionDays | int64 | quote }}
{{- with $v.config.contentTypes }}
SYNC_CONTENT_TYPES: {{ (kindIs "string" .) | ternary . (toJson .) | quote }}
{{- end }}
{{- with $v.masterPublicKey }}
SYNC_MASTER_PUBLIC_KEY: {{ . | quote }}
{{- end }}
DATABASE_CLIENT: {{ $v.database.client | quote }}
{{- if eq $v.database.client "sqlite" }}
DATABASE_FILENAME: {{ $v.database.filename | quote }}
{{- end }}
KAFKA_BROKERS: {{ join "," $v.kafka.brokers | quote }}
{{- with $v.kafka.clientId }}
KAFKA_CLIENT_ID: {{ . | quote }}
{{- end }}
KAFKA_TOPIC_PREFIX: {{ $v.kafka.topicPrefix | quote }}
KAFKA_TOPIC_SHIP_UPDATES: {{ $v.kafka.topics.shipUpdates | quote }}
KAFKA_TOPIC_MASTER_UPDATES: {{ $v.kafka.topics.masterUpdates | quote }}
KAFKA_TOPIC_OUTCOMES_PREFIX: {{ $v.kafka.topics.outcomesPrefix | quote }}
KAFKA_OUTCOME_TOPIC_GROUPS: {{ $v.kafka.outcomeTopicGroups | int64 | quote }}
KAFKA_TOPIC_HEARTBEATS: {{ $v.kafka.topics.heartbeats | quote }}
KAFKA_CONSUMER_GROUP_SUFFIX: {{ $v.kafka.consumerGroupSuffix | quote }}
KAFKA_COMPRESSION: {{ $v.kafka.compression | quote }}
KAFKA_SSL_ENABLED: {{ $v.kafka.tls.enabled | quote }}
{{- if $v.kafka.tls.enabled }}
KAFKA_SSL_REJECT_UNAUTHORIZED: {{ $v.kafka.tls.rejectUnauthorized | quote }}
{{- if $v.kafka.tls.existingSecret }}
KAFKA_SSL_CA_LOCATION: {{ printf "%s/%s" (include "ship.kafkaTlsDir" .) $v.kafka.tls.caKey | quote }}
{{- if $v.kafka.tls.certKey }}
KAFKA_SSL_CERT_LOCATION: {{ printf "%s/%s" (include "ship.kafkaTlsDir" .) $v.kafka.tls.certKey | quote }}
{{- end }}
{{- if $v.kafka.tls.keyKey }}
KAFKA_SSL_KEY_LOCATION: {{ printf "%s/%s" (include "ship.kafkaTlsDir" .) $v.kafka.tls.keyKey | quote }}
{{- end }}
{{- end }}
{{- end }}
{{- with $v.kafka.sasl.mechanism }}
KAFKA_SASL_MECHANISM: {{ . | lower | quote }}
KAFKA_SASL_USERNAME: {{ $v.kafka.sasl.username | quote }}
{{- end }}
{{- range $name, $value := $v.env }}
{{ $name }}: {{ $value | toString | quote }}
{{- end }}
{{- end -}}

{{- define "ship.secretData" -}}
{{- $s := .V.secrets -}}
{{- with $s.signingPrivateKey }}
SYNC_SIGNING_PRIVATE_KEY: {{ . | b64enc | quote }}
{{- end }}
{{- with $s.apiKeys }}
SYNC_API_KEYS: {{ . | b64enc | quote }}
{{- end }}
{{- with $s.kafkaSaslPassword }}
KAFKA_SASL_PASSWORD: {{ . | b64enc | quote }}
{{- end }}
{{- with $s.databaseUrl }}
DATABASE_URL: {{ . | b64enc | quote }}
{{- end }}
{{- end -}}
