#!/usr/bin/env bash
# The external (BI) broker, secured like the embedded plant's (plant/.../kafka/ExternalKafka.java): SASL_SSL with
# SCRAM-SHA-512 only, StandardAuthorizer, admin the only super user. A script rather than the image's KAFKA_* env
# because (1) the SCRAM users must be written when the log is formatted: a SCRAM-only broker has no user to log
# in as to create them later, and the image's launcher cannot pass --add-scram; (2) the TLS material is made here,
# on first start, with the JRE's keytool, so no key ever leaves the broker's volume except the CA certificate.
set -euo pipefail
umask 077

SECRETS=/etc/kafka/secrets     # volume external-tls: CA key and broker keystore, this container only
PUBLIC=/mnt/shared/config      # volume external-ca: ca.crt only, mounted read-only into the hub
CONFIG=/tmp/server.properties  # holds passwords: rewritten at every start, never on a volume
KEYTOOL=keytool                # the JRE's, on the image's PATH

# the same rule as ExternalKafka.User: these characters would end the --add-scram argument or the JAAS string
FORBIDDEN='[][[:space:]",=\\]'
for var in EXTERNAL_ADMIN_PASSWORD EXTERNAL_MM2_PASSWORD EXTERNAL_BI_PASSWORD EXTERNAL_TLS_KEYSTORE_PASSWORD; do
  value="${!var:-}"
  if [[ -z "$value" || "$value" =~ $FORBIDDEN ]]; then
    echo "kafka-external: $var must be set, without spaces or \" \\ , = [ ]" >&2
    exit 1
  fi
done
KS_PASS="$EXTERNAL_TLS_KEYSTORE_PASSWORD"

if [ ! -f "$SECRETS/broker.p12" ]; then
  echo "kafka-external: first start, making a CA and the broker certificate (kafka-external, localhost)"
  "$KEYTOOL" -genkeypair -keystore "$SECRETS/ca.p12" -storetype PKCS12 -storepass "$KS_PASS" -alias ca \
    -dname "CN=factory-hub compose external CA" -keyalg RSA -keysize 3072 -validity 3650 -ext bc:c
  "$KEYTOOL" -exportcert -keystore "$SECRETS/ca.p12" -storepass "$KS_PASS" -alias ca -rfc -file "$SECRETS/ca.crt"
  "$KEYTOOL" -genkeypair -keystore "$SECRETS/broker.tmp.p12" -storetype PKCS12 -storepass "$KS_PASS" -alias broker \
    -dname "CN=kafka-external" -keyalg RSA -keysize 2048 -validity 825
  "$KEYTOOL" -certreq -keystore "$SECRETS/broker.tmp.p12" -storepass "$KS_PASS" -alias broker -file "$SECRETS/broker.csr"
  # the hub connects as kafka-external, clients on the Docker host as localhost: both names are in the certificate
  "$KEYTOOL" -gencert -keystore "$SECRETS/ca.p12" -storepass "$KS_PASS" -alias ca -infile "$SECRETS/broker.csr" \
    -outfile "$SECRETS/broker.crt" -rfc -validity 825 \
    -ext SAN=dns:kafka-external,dns:localhost,ip:127.0.0.1 -ext KU=digitalSignature,keyEncipherment -ext EKU=serverAuth
  "$KEYTOOL" -importcert -keystore "$SECRETS/broker.tmp.p12" -storepass "$KS_PASS" -alias ca -file "$SECRETS/ca.crt" -noprompt
  "$KEYTOOL" -importcert -keystore "$SECRETS/broker.tmp.p12" -storepass "$KS_PASS" -alias broker -file "$SECRETS/broker.crt"
  # renamed last: a start interrupted above begins again from scratch instead of using half-made material
  mv "$SECRETS/broker.tmp.p12" "$SECRETS/broker.p12"
fi
# the CA certificate is public: readable by the hub's user
install -m 0644 "$SECRETS/ca.crt" "$PUBLIC/ca.crt"

jaas() {
  echo "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"$1\" password=\"$2\";"
}

cat > "$CONFIG" <<PROPS
process.roles=broker,controller
node.id=1
# the controller listener is PLAINTEXT on the container's loopback only: its connections are User:ANONYMOUS,
# which needs super-user rights for the broker to register with its own controller, and nothing else reaches it
controller.quorum.voters=1@127.0.0.1:9095
controller.listener.names=CONTROLLER
# EXTERNAL for clients on the Docker host (localhost:9094), INTERNAL for containers (the hub's MirrorMaker2)
listeners=EXTERNAL://0.0.0.0:9094,INTERNAL://0.0.0.0:19094,CONTROLLER://127.0.0.1:9095
advertised.listeners=EXTERNAL://localhost:9094,INTERNAL://kafka-external:19094
listener.security.protocol.map=EXTERNAL:SASL_SSL,INTERNAL:SASL_SSL,CONTROLLER:PLAINTEXT
inter.broker.listener.name=INTERNAL
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.internal.scram-sha-512.sasl.jaas.config=$(jaas admin "$EXTERNAL_ADMIN_PASSWORD")
ssl.keystore.type=PKCS12
ssl.keystore.location=$SECRETS/broker.p12
ssl.keystore.password=$KS_PASS
ssl.key.password=$KS_PASS
ssl.truststore.type=PEM
ssl.truststore.location=$PUBLIC/ca.crt
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:admin;User:ANONYMOUS
log.dirs=/var/lib/kafka/data
# one broker: internal topics cannot have more replicas
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
PROPS

# the admin's client settings, for the healthcheck (inside this container only)
cat > /tmp/admin-client.properties <<PROPS
security.protocol=SASL_SSL
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=$(jaas admin "$EXTERNAL_ADMIN_PASSWORD")
ssl.truststore.type=PEM
ssl.truststore.location=$PUBLIC/ca.crt
PROPS

# users are added only when the log is new; a password changed later needs a new volume (as in the embedded plant)
/opt/kafka/bin/kafka-storage.sh format --ignore-formatted --cluster-id "$CLUSTER_ID" --config "$CONFIG" \
  --add-scram "SCRAM-SHA-512=[name=admin,password=$EXTERNAL_ADMIN_PASSWORD]" \
  --add-scram "SCRAM-SHA-512=[name=mm2,password=$EXTERNAL_MM2_PASSWORD]" \
  --add-scram "SCRAM-SHA-512=[name=bi,password=$EXTERNAL_BI_PASSWORD]"
exec /opt/kafka/bin/kafka-server-start.sh "$CONFIG"
