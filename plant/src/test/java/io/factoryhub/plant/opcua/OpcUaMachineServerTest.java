package io.factoryhub.plant.opcua;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.factoryhub.testkit.FreePorts;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseResultMask;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.ReferenceDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

@Timeout(60)
class OpcUaMachineServerTest {

    private static final String VIBRATION = "plant-a/line-3/lathe-05/vibration";
    private static final String TEMPERATURE = "plant-a/line-3/lathe-05/temperature";

    @Test
    void exposesFolderHierarchyValuesStatusAndSurvivesRestart() throws Exception {
        Path pki = Files.createTempDirectory("pki");
        int port = FreePorts.next();
        OpcUaMachineServer server = new OpcUaMachineServer(port, pki, List.of(VIBRATION, TEMPERATURE));
        try {
            server.start();
            assertEquals("opc.tcp://localhost:" + port, server.endpointUrl());
            assertTrue(Files.exists(pki.resolve("application.pfx")), "certificate generated under pkiDir");

            Instant source = Instant.parse("2026-01-02T03:04:05.678Z");
            server.setValue(VIBRATION, 4.5, source);
            OpcUaClient client = OpcUaClient.create(server.endpointUrl());
            client.connect();
            try {
                assertEquals(2, client.getNamespaceTable().getIndex("urn:factory-hub:plant-simulator").intValue());
                assertEquals(List.of("plant-a"), browseNames(client, NodeIds.ObjectsFolder, "plant-a"));
                assertEquals(List.of("line-3"), browseNames(client, new NodeId(2, "plant-a"), null));
                assertEquals(List.of("lathe-05"), browseNames(client, new NodeId(2, "plant-a/line-3"), null));
                assertEquals(List.of("temperature", "vibration"),
                        browseNames(client, new NodeId(2, "plant-a/line-3/lathe-05"), null).stream().sorted().toList());

                DataValue value = client.readValue(0, TimestampsToReturn.Both, new NodeId(2, VIBRATION));
                assertEquals(4.5, value.getValue().getValue());
                assertTrue(value.getStatusCode().isGood());
                assertEquals(source, value.getSourceTime().getJavaInstant().truncatedTo(ChronoUnit.MILLIS));

                server.setStatus(VIBRATION, new StatusCode(StatusCodes.Bad_SensorFailure));
                value = client.readValue(0, TimestampsToReturn.Both, new NodeId(2, VIBRATION));
                assertEquals(StatusCodes.Bad_SensorFailure, value.getStatusCode().getValue());
            } finally {
                client.disconnect();
            }
            assertThrows(IllegalArgumentException.class, () -> server.setValue("no/such/node/tag", 1, Instant.now()));

            server.close();
            server.start(); // same port, same PKI
            server.setValue(TEMPERATURE, 50.0, Instant.now());
            OpcUaClient again = OpcUaClient.create(server.endpointUrl());
            again.connect();
            try {
                assertEquals(50.0, again.readValue(0, TimestampsToReturn.Both, new NodeId(2, TEMPERATURE))
                        .getValue().getValue());
            } finally {
                again.disconnect();
            }
        } finally {
            server.close();
        }
    }

    @Test
    void failsLoudlyWhenThePortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            OpcUaMachineServer server = new OpcUaMachineServer(taken.getLocalPort(),
                    Files.createTempDirectory("pki"), List.of(VIBRATION));
            assertThrows(Exception.class, server::start);
            server.close();
        }
    }

    /** Browse names of the Organizes children of a node, optionally only the one with a given name. */
    private static List<String> browseNames(OpcUaClient client, NodeId node, String only) throws Exception {
        var result = client.browse(new BrowseDescription(node, BrowseDirection.Forward, NodeIds.Organizes, true,
                uint(0), uint(BrowseResultMask.All.getValue())));
        return List.of(result.getReferences()).stream()
                .map(ReferenceDescription::getBrowseName)
                .filter(name -> only == null || only.equals(name.getName()))
                .map(name -> name.getName())
                .toList();
    }
}
