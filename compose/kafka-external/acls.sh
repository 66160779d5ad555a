#!/usr/bin/env bash
# One-shot: the ACLs of mirror-config/strimzi/kafka-users.yaml (site plant-a) applied to the external cluster as
# its admin. kafka-acls --add is idempotent, so this runs on every `docker compose up`. ComposeFilesTest checks
# that the `allow` lines below grant exactly what kafka-users.yaml grants, nothing more, nothing less.
set -euo pipefail
umask 077
CLIENT=/tmp/admin-client.properties
cat > "$CLIENT" <<PROPS
security.protocol=SASL_SSL
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="${EXTERNAL_ADMIN_PASSWORD:?}";
ssl.truststore.type=PEM
ssl.truststore.location=/etc/factory-hub/external-ca/ca.crt
PROPS

# allow <user> <topic|group> <name> <literal|prefixed> <operation>...
allow() {
  local user=$1 type=$2 name=$3 pattern=$4
  shift 4
  local operations=()
  for op in "$@"; do operations+=(--operation "$op"); done
  /opt/kafka/bin/kafka-acls.sh --bootstrap-server kafka-external:19094 --command-config "$CLIENT" --add \
    --allow-principal "User:$user" --allow-host '*' "--$type" "$name" --resource-pattern-type "$pattern" "${operations[@]}"
}

# mm2: mirrored topics and checkpoints, MirrorMaker's own topics, its worker group, synced consumer-group offsets
allow mm2 topic plant-a. prefixed Create Alter AlterConfigs DescribeConfigs Describe Write Read
allow mm2 topic mm2- prefixed Create DescribeConfigs Describe Write Read
allow mm2 group plant-a-mm2 literal Read Describe
allow mm2 group factory-hub prefixed Read Describe
# bi: read-only on the mirrored topics, its own bi-* consumer groups
allow bi topic plant-a. prefixed Read Describe
allow bi group bi- prefixed Read Describe
