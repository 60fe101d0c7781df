{{/* Names and labels */}}
{{- define "master.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "master.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "master.selectorLabels" -}}
app.kubernetes.io/name: {{ include "master.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: master
{{- end -}}

{{/* Labels without app.kubernetes.io/component (the migration Job sets its own). */}}
{{- define "master.commonLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "master.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: offline-sync
{{- end -}}

{{- define "master.labels" -}}
{{ include "master.commonLabels" . }}
app.kubernetes.io/component: master
{{- end -}}

{{- define "master.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "master.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "master.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) -}}
{{- end -}}

{{- define "master.secretName" -}}
{{- .Values.secrets.existingSecret | default (include "master.fullname" .) -}}
{{- end -}}

{{/* Mount points */}}
{{- define "master.kafkaTlsDir" -}}/etc/offline-sync/kafka-tls{{- end -}}
{{- define "master.shipKeysDir" -}}/etc/offline-sync/ship-keys{{- end -}}

{{- define "master.validate" -}}
{{- with .Values.kafka.sasl.mechanism -}}
{{- if not (has (lower .) (list "plain" "scram-sha-256" "scram-sha-512")) -}}
{{- fail (printf "kafka.sasl.mechanism must be plain, scram-sha-256 or scram-sha-512 (got %q)" .) -}}
{{- end -}}
{{- if not $.Values.kafka.sasl.username -}}
{{- fail "kafka.sasl.username is required when kafka.sasl.mechanism is set" -}}
{{- end -}}
{{- end -}}
{{- if and .Values.kafka.tls.existingSecret (not .Values.kafka.tls.enabled) -}}
{{- fail "kafka.tls.existingSecret is set but kafka.tls.enabled is false" -}}
{{- end -}}
{{- end -}}

{{/* Non-secret environment: the ConfigMap's data. */}}
{{- define "master.configData" -}}
PORT: {{ .Values.port | int64 | quote }}
HOST: "0.0.0.0"
LOG_LEVEL: {{ .Values.config.logLevel | quote }}
SYNC_BATCH_SIZE: {{ .Values.config.batchSize | int64 | quote }}
SYNC_RETRY_ATTEMPTS: {{ .Values.config.retryAttempts | int64 | quote }}
SYNC_RETRY_DELAY: {{ .Values.config.retryDelay | int64 | quote }}
SYNC_SHIP_OFFLINE_AFTER: {{ .Values.config.shipOfflineAfter | int64 | quote }}
SYNC_RETENTION_DAYS: {{ .Values.config.retentionDays | int64 | quote }}
SYNC_BATCH_SIGNING: {{ .Values.config.batchSigning | quote }}
SYNC_ENVELOPE_KEY_IDS: {{ .Values.config.envelopeKeyIds | quote }}
{{- with .Values.config.contentTypes }}
SYNC_CONTENT_TYPES: {{ (kindIs "string" .) | ternary . (toJson .) | quote }}
{{- end }}
KAFKA_BROKERS: {{ join "," .Values.kafka.brokers | quote }}
KAFKA_CLIENT_ID: {{ .Values.kafka.clientId | default "offline-sync-master" | quote }}
KAFKA_TOPIC_PREFIX: {{ .Values.kafka.topicPrefix | quote }}
KAFKA_TOPIC_SHIP_UPDATES: {{ .Values.kafka.topics.shipUpdates | quote }}
KAFKA_TOPIC_MASTER_UPDATES: {{ .Values.kafka.topics.masterUpdates | quote }}
KAFKA_TOPIC_OUTCOMES_PREFIX: {{ .Values.kafka.topics.outcomesPrefix | quote }}
KAFKA_OUTCOME_TOPIC_GROUPS: {{ .Values.kafka.outcomeTopicGroups | int64 | quote }}
KAFKA_TOPIC_HEARTBEATS: {{ .Values.kafka.topics.heartbeats | quote }}
KAFKA_CONSUMER_GROUP_SUFFIX: {{ .Values.kafka.consumerGroupSuffix | quote }}
KAFKA_COMPRESSION: {{ .Values.kafka.compression | quote }}
KAFKA_SHIP_UPDATES_PARTITIONS: {{ .Values.kafka.shipUpdatesPartitions | int64 | quote }}
KAFKA_MAX_REQUEST_BYTES: {{ .Values.kafka.maxRequestBytes | int64 | quote }}
{{- with .Values.shipKeysFile }}
{{- if or .existingSecret .existingConfigMap }}
SYNC_SHIP_PUBLIC_KEYS_FILE: {{ printf "%s/%s" (include "master.shipKeysDir" $) .key | quote }}
{{- end }}
{{- end }}
KAFKA_SSL_ENABLED: {{ .Values.kafka.tls.enabled | quote }}
{{- if .Values.kafka.tls.enabled }}
KAFKA_SSL_REJECT_UNAUTHORIZED: {{ .Values.kafka.tls.rejectUnauthorized | quote }}
{{- with .Values.kafka.tls.existingSecret }}
KAFKA_SSL_CA_LOCATION: {{ printf "%s/%s" (include "master.kafkaTlsDir" $) $.Values.kafka.tls.caKey | quote }}
{{- if $.Values.kafka.tls.certKey }}
KAFKA_SSL_CERT_LOCATION: {{ printf "%s/%s" (include "master.kafkaTlsDir" $) $.Values.kafka.tls.certKey | quote }}
{{- end }}
{{- if $.Values.kafka.tls.keyKey }}
KAFKA_SSL_KEY_LOCATION: {{ printf "%s/%s" (include "master.kafkaTlsDir" $) $.Values.kafka.tls.keyKey | quote }}
{{- end }}
{{- end }}
{{- end }}
{{- with .Values.kafka.sasl.mechanism }}
KAFKA_SASL_MECHANISM: {{ . | lower | quote }}
KAFKA_SASL_USERNAME: {{ $.Values.kafka.sasl.username | quote }}
{{- end }}
{{- range $name, $value := .Values.env }}
{{ $name }}: {{ $value | toString | quote }}
{{- end }}
{{- end -}}

{{/* Secret environment: only the values that are set (an unset one stops the app with a clear
message naming it, rather than starting with an empty value). */}}
{{- define "master.secretData" -}}
{{- $s := .Values.secrets -}}
{{- with $s.databaseUrl }}
DATABASE_URL: {{ . | b64enc | quote }}
{{- end }}
{{- with $s.signingPrivateKey }}
SYNC_SIGNING_PRIVATE_KEY: {{ . | b64enc | quote }}
{{- end }}
{{- with $s.apiKeys }}
SYNC_API_KEYS: {{ . | b64enc | quote }}
{{- end }}
{{- with $s.shipPublicKeys }}
SYNC_SHIP_PUBLIC_KEYS: {{ . | b64enc | quote }}
{{- end }}
{{- with $s.kafkaSaslPassword }}
KAFKA_SASL_PASSWORD: {{ . | b64enc | quote }}
{{- end }}
{{- end -}}

{{/* Volumes shared by the Deployment and the migration Job. */}}
{{- define "master.volumes" -}}
- name: tmp
  emptyDir:
    sizeLimit: 64Mi
{{- if .Values.kafka.tls.existingSecret }}
- name: kafka-tls
  secret:
    secretName: {{ .Values.kafka.tls.existingSecret }}
    defaultMode: 0440
{{- end }}
{{- with .Values.shipKeysFile }}
{{- if .existingSecret }}
- name: ship-keys
  secret:
    secretName: {{ .existingSecret }}
    defaultMode: 0440
{{- else if .existingConfigMap }}
- name: ship-keys
  configMap:
    name: {{ .existingConfigMap }}
{{- end }}
{{- end }}
{{- with .Values.extraVolumes }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "master.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
{{- if .Values.kafka.tls.existingSecret }}
- name: kafka-tls
  mountPath: {{ include "master.kafkaTlsDir" . }}
  readOnly: true
{{- end }}
{{- if or .Values.shipKeysFile.existingSecret .Values.shipKeysFile.existingConfigMap }}
- name: ship-keys
  mountPath: {{ include "master.shipKeysDir" . }}
  readOnly: true
{{- end }}
{{- with .Values.extraVolumeMounts }}
{{ toYaml . }}
{{- end }}
{{- end -}}
