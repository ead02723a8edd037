package dev.cairn.springai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.InvalidInputException;
import dev.cairn.conversations.ConversationMessage;
import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.ai.chat.messages.AbstractMessage;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.content.Media;
import org.springframework.util.MimeType;

/**
 * Spring AI messages as JSON and back. Spring AI has no serializer of its own, so this one writes every part the
 * message types carry: text, metadata, media (bytes as base64, or a URL), an assistant's tool calls and a tool
 * message's responses. Map keys are sorted, so equal messages have equal JSON (the store aligns windows by it).
 */
final class SpringAiMessages {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

    private static final TypeReference<LinkedHashMap<String, Object>> METADATA = new TypeReference<>() {};

    private SpringAiMessages() {}

    static ConversationMessage toStored(Message message) {
        if (message == null) {
            throw new InvalidInputException("a chat memory window holds a null message");
        }
        ObjectNode json = JSON.createObjectNode();
        json.put("type", message.getMessageType().name());
        json.put("text", message.getText());
        json.set("metadata", JSON.valueToTree(new java.util.TreeMap<>(message.getMetadata())));
        String role;
        StringBuilder summary = new StringBuilder(message.getText() == null ? "" : message.getText());
        if (message instanceof UserMessage user) {
            role = "user";
            json.set("media", media(user.getMedia(), summary));
        } else if (message instanceof AssistantMessage assistant) {
            role = "assistant";
            json.set("media", media(assistant.getMedia(), summary));
            ArrayNode calls = json.putArray("toolCalls");
            for (AssistantMessage.ToolCall call : assistant.getToolCalls()) {
                calls.addObject().put("id", call.id()).put("type", call.type()).put("name", call.name())
                        .put("arguments", call.arguments());
                summary.append(summary.length() == 0 ? "" : "\n").append("calls ").append(call.name()).append('(')
                        .append(call.arguments()).append(") [").append(call.id()).append(']');
            }
        } else if (message instanceof SystemMessage) {
            role = "system";
        } else if (message instanceof ToolResponseMessage tool) {
            role = "tool";
            ArrayNode responses = json.putArray("responses");
            for (ToolResponseMessage.ToolResponse response : tool.getResponses()) {
                responses.addObject().put("id", response.id()).put("name", response.name())
                        .put("responseData", response.responseData());
                summary.append(summary.length() == 0 ? "" : "\n").append(response.name()).append(" [")
                        .append(response.id()).append("]: ").append(response.responseData());
            }
        } else {
            throw new InvalidInputException("a chat memory window holds a " + message.getClass().getName()
                    + ", which Cairn cannot store: use Spring AI's UserMessage, AssistantMessage, SystemMessage or "
                    + "ToolResponseMessage");
        }
        try {
            return new ConversationMessage(role, JSON.writeValueAsString(json), summary.toString());
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("the metadata of a " + role + " message cannot be written as JSON: "
                    + e.getOriginalMessage());
        }
    }

    private static ArrayNode media(List<Media> media, StringBuilder summary) {
        ArrayNode out = JSON.createArrayNode();
        for (Media m : media) {
            ObjectNode node = out.addObject().put("mimeType", m.getMimeType().toString()).put("id", m.getId())
                    .put("name", m.getName());
            Object data = m.getData();
            if (data instanceof byte[] bytes) {
                node.put("data", Base64.getEncoder().encodeToString(bytes));
            } else {
                node.put("url", String.valueOf(data));
            }
            summary.append(summary.length() == 0 ? "" : " ").append('[').append(m.getMimeType()).append(']');
        }
        return out;
    }

    static Message fromStored(String content) {
        JsonNode json;
        try {
            json = JSON.readTree(content);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored Spring AI message is not JSON: " + e.getOriginalMessage(), e);
        }
        String text = json.path("text").isNull() ? null : json.path("text").asText();
        Map<String, Object> metadata = JSON.convertValue(json.path("metadata"), METADATA);
        metadata.remove(AbstractMessage.MESSAGE_TYPE); // every message sets its own
        return switch (json.path("type").asText()) {
            case "USER" -> UserMessage.builder().text(text).media(media(json)).metadata(metadata).build();
            case "ASSISTANT" -> {
                List<AssistantMessage.ToolCall> calls = new ArrayList<>();
                for (JsonNode c : json.path("toolCalls")) {
                    calls.add(new AssistantMessage.ToolCall(text(c, "id"), text(c, "type"), text(c, "name"),
                            text(c, "arguments")));
                }
                yield AssistantMessage.builder().content(text).properties(metadata).toolCalls(calls)
                        .media(media(json)).build();
            }
            case "SYSTEM" -> SystemMessage.builder().text(text).metadata(metadata).build();
            case "TOOL" -> {
                List<ToolResponseMessage.ToolResponse> responses = new ArrayList<>();
                for (JsonNode r : json.path("responses")) {
                    responses.add(new ToolResponseMessage.ToolResponse(text(r, "id"), text(r, "name"),
                            text(r, "responseData")));
                }
                yield ToolResponseMessage.builder().responses(responses).metadata(metadata).build();
            }
            default -> throw new IllegalStateException("a stored Spring AI message has the unknown type '"
                    + json.path("type").asText() + "'");
        };
    }

    private static List<Media> media(JsonNode json) {
        List<Media> out = new ArrayList<>();
        for (JsonNode m : json.path("media")) {
            Media.Builder builder = Media.builder().mimeType(MimeType.valueOf(m.path("mimeType").asText()))
                    .id(text(m, "id")).name(text(m, "name"));
            if (m.has("data")) {
                builder.data(Base64.getDecoder().decode(m.path("data").asText()));
            } else {
                builder.data(URI.create(m.path("url").asText()));
            }
            out.add(builder.build());
        }
        return out;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
