{{/* The chart's name, or nameOverride. */}}
{{- define "ssh-tunnel-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's full name: fullnameOverride, else release name plus chart name unless one contains the other. */}}
{{- define "ssh-tunnel-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "ssh-tunnel-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ssh-tunnel-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "ssh-tunnel-operator.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "ssh-tunnel-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "ssh-tunnel-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "ssh-tunnel-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "ssh-tunnel-operator.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/*
The operator's API access, the same in a ClusterRole and in each namespace's Role; exactly
the calls operator/SshTunnel.Operator makes (see the chart README, "RBAC"):
- sshtunnelconnections get/list/watch: the informer (CustomResourceSource) and the fresh read
  before a write (ConnectionController.FetchAsync).
- sshtunnelconnections/status update: status is written with a PUT to the status subresource.
- sshtunnelconnections/finalizers update: the key Secret's ownerReference sets
  blockOwnerDeletion, which the OwnerReferencesPermissionEnforcement admission plugin allows
  only to those who may update the owner's finalizers.
- secrets get/list/watch/create/update/patch: the label-selected informer (SecretSource), the
  unfiltered read that detects a foreign Secret, create/replace of the key Secret, and the JSON
  patch that rotates a Secret the operator knows only by its verdict (SecretWriteKind.Promote).
  Never delete: the Secret goes with its owner through garbage collection.
- events (core/v1) create/update: EventRecorder creates an Event and replaces it to bump its count.
- sshportforwards get/list/watch, sshportforwards/status update, sshportforwards/finalizers
  update: as for connections (PortForwardController; the fresh read follows a 409).
- deployments (apps) and services get/list/watch/create/update: the label-selected informers,
  the unfiltered read by name that detects a foreign object, create and replace of
  <name>-forward and <name>. Never delete: they go with their SshPortForward through garbage
  collection.
*/}}
{{- define "ssh-tunnel-operator.operatorRules" -}}
- apiGroups: ["sshtunnels.io"]
  resources: ["sshtunnelconnections"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["sshtunnels.io"]
  resources: ["sshtunnelconnections/status"]
  verbs: ["update"]
- apiGroups: ["sshtunnels.io"]
  resources: ["sshtunnelconnections/finalizers"]
  verbs: ["update"]
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list", "watch", "create", "update", "patch"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "update"]
- apiGroups: ["sshtunnels.io"]
  resources: ["sshportforwards"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["sshtunnels.io"]
  resources: ["sshportforwards/status"]
  verbs: ["update"]
- apiGroups: ["sshtunnels.io"]
  resources: ["sshportforwards/finalizers"]
  verbs: ["update"]
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["get", "list", "watch", "create", "update"]
- apiGroups: [""]
  resources: ["services"]
  verbs: ["get", "list", "watch", "create", "update"]
{{- end }}

{{/* The operator's Lease: leaderElection.leaseName, else the release's full name, so two releases in one namespace never share a lease. */}}
{{- define "ssh-tunnel-operator.leaseName" -}}
{{- .Values.leaderElection.leaseName | default (include "ssh-tunnel-operator.fullname" .) }}
{{- end }}

{{/* Where helm test creates its connection: tests.namespace, else the release namespace when the operator watches it, else the first watched namespace. */}}
{{- define "ssh-tunnel-operator.testNamespace" -}}
{{- if .Values.tests.namespace }}
{{- .Values.tests.namespace }}
{{- else if or (not .Values.watchNamespaces) (has .Release.Namespace .Values.watchNamespaces) }}
{{- .Release.Namespace }}
{{- else }}
{{- first .Values.watchNamespaces }}
{{- end }}
{{- end }}

{{/* One kubectl call of the helm test pod: dict with root (the chart context), name and args. */}}
{{- define "ssh-tunnel-operator.testContainer" -}}
{{- $tests := .root.Values.tests -}}
- name: {{ .name }}
  image: {{ printf "%s:%s" $tests.image.repository $tests.image.tag | quote }}
  imagePullPolicy: {{ $tests.image.pullPolicy }}
  command: ["kubectl"]
  args:
    {{- toYaml .args | nindent 4 }}
  env:
    # kubectl keeps its discovery cache under $HOME; the root filesystem is read-only.
    - name: HOME
      value: /tmp
  resources:
    requests:
      cpu: 10m
      memory: 32Mi
    limits:
      memory: 128Mi
  securityContext:
    runAsNonRoot: true
    allowPrivilegeEscalation: false
    readOnlyRootFilesystem: true
    capabilities:
      drop:
        - ALL
    seccompProfile:
      type: RuntimeDefault
  volumeMounts:
    - name: manifests
      mountPath: /manifests
      readOnly: true
    - name: tmp
      mountPath: /tmp
{{- end }}
