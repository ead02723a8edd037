package dev.cairn.runs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.internal.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Example;

class ConfigHashTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Property(tries = 300)
    void equalConfigsInAnyKeyOrderHashEqual(@ForAll("configs") JsonNode config, @ForAll long seed) {
        JsonNode shuffled = shuffle(config, new Random(seed));
        assertThat(ConfigHash.of(shuffled)).isEqualTo(ConfigHash.of(config));
        assertThat(ConfigHash.of(Json.tree(shuffled.toString()))).isEqualTo(ConfigHash.of(config));
    }

    @Property(tries = 200)
    void changingAnyNestedValueChangesTheHash(@ForAll("configs") JsonNode config) {
        ObjectNode changed = ((ObjectNode) config.deepCopy());
        ObjectNode deepest = changed;
        while (deepest.get("nested") instanceof ObjectNode inner) {
            deepest = inner;
        }
        deepest.put("nested", "a value no generated config holds");
        assertThat(ConfigHash.of(changed)).isNotEqualTo(ConfigHash.of(config));
    }

    @Example
    void theHashIsTheFullSha256OfTheCanonicalForm() {
        // sha256 of {"a":{"b":1,"c":[1,2]}} (echo -n ... | sha256sum)
        String hash = ConfigHash.of(Json.tree("{\"a\":{\"c\":[1,2.0],\"b\":1}}"));
        assertThat(hash).isEqualTo("78fd810474e10b94dddfc056b4e53041ae0dc0191ea2e8145be5d25587c304b4");
        assertThat(ConfigHash.of(Map.of("a", Map.of("b", 1, "c", List.of(1, 2))))).isEqualTo(hash);
        assertThat(ConfigHash.of(Map.of("a", Map.of("b", 1)))).isNotEqualTo(ConfigHash.of(Map.of("a",
                Map.of("b", 2))));
    }

    @Example
    void theCanonicalFormFollowsRfc8785() {
        // RFC 8785 section 3.2.4, with the string of its example
        JsonNode input = Json.tree("{\"numbers\": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],"
                + "\"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\","
                + "\"literals\": [null, true, false]}");
        assertThat(CanonicalJson.of(input)).isEqualTo("{\"literals\":[null,true,false],\"numbers\":"
                + "[333333333.3333333,1e+30,4.5,0.002,1e-27],\"string\":\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
    }

    @Example
    void keysAreSortedByUtf16CodeUnits() {
        // RFC 8785 section 3.2.3
        ObjectNode node = NODES.objectNode();
        for (String key : new String[] {"\u20ac", "\r", "\ufb33", "1", "\ud83d\ude00", "\u0080", "\u00f6"}) {
            node.put(key, key.codePointAt(0));
        }
        assertThat(CanonicalJson.of(node)).isEqualTo("{\"\\r\":13,\"1\":49,\"\u0080\":128,\"\u00f6\":246,"
                + "\"\u20ac\":8364,\"\ud83d\ude00\":128512,\"\ufb33\":64307}");
    }

    @Example
    void numbersAreWrittenAsEcmaScriptWritesThem() {
        assertThat(canonical("[0, -0, 1, 1.0, 100, 1e21, 1e20, 123456789012345678901, 0.000001, 1e-7, -1.5, "
                + "9007199254740993, 5e-324, 1.7976931348623157e308, 0.1, 2.5e-5]"))
                .isEqualTo("[0,0,1,1,100,1e+21,100000000000000000000,123456789012345680000,0.000001,1e-7,-1.5,"
                        + "9007199254740992,5e-324,1.7976931348623157e+308,0.1,0.000025]");
    }

    private static String canonical(String json) {
        return CanonicalJson.of(Json.tree(json));
    }

    @Provide
    Arbitrary<JsonNode> configs() {
        return value(3).map(v -> {
            ObjectNode root = NODES.objectNode();
            root.set("nested", v.isObject() ? v : NODES.objectNode().set("v", v));
            return root;
        });
    }

    private Arbitrary<JsonNode> value(int depth) {
        Arbitrary<JsonNode> scalar = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(8).map(s -> (JsonNode) NODES.textNode(s)),
                Arbitraries.integers().map(i -> (JsonNode) NODES.numberNode(i)),
                Arbitraries.doubles().map(d -> (JsonNode) NODES.numberNode(d)),
                Arbitraries.of(true, false).map(b -> (JsonNode) NODES.booleanNode(b)),
                Arbitraries.just(NODES.nullNode()));
        if (depth == 0) {
            return scalar;
        }
        Arbitrary<JsonNode> object = Arbitraries.maps(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(6),
                Arbitraries.lazy(() -> value(depth - 1))).ofMaxSize(5).map(map -> {
                    ObjectNode node = NODES.objectNode();
                    map.forEach(node::set);
                    return node;
                });
        Arbitrary<JsonNode> array = Arbitraries.lazy(() -> value(depth - 1)).list().ofMaxSize(4).map(list -> {
            ArrayNode node = NODES.arrayNode();
            list.forEach(node::add);
            return node;
        });
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, scalar), net.jqwik.api.Tuple.of(3, object), net.jqwik.api.Tuple.of(1, array));
    }

    /** The same value with the keys of every object, at every depth, inserted in another order. */
    private static JsonNode shuffle(JsonNode node, Random random) {
        if (node.isObject()) {
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.properties());
            Collections.shuffle(fields, random);
            ObjectNode copy = NODES.objectNode();
            fields.forEach(field -> copy.set(field.getKey(), shuffle(field.getValue(), random)));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = NODES.arrayNode();
            node.forEach(element -> copy.add(shuffle(element, random)));
            return copy;
        }
        return node;
    }
}
