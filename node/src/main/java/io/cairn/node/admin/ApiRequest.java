package io.cairn.node.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** A request as endpoints see it: the path's {@code {name}} parts, the query and the body. */
public record ApiRequest(Map<String, String> pathParams, Map<String, List<String>> query, byte[] body) {

    public String pathParam(String name) {
        return pathParams.get(name);
    }

    /** The first value of a query parameter, or null. */
    public String queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The body as a JSON object; an empty body is an empty object. */
    public JsonNode jsonBody() {
        if (body.length == 0) {
            return Json.MAPPER.createObjectNode();
        }
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            if (node == null || !node.isObject()) {
                throw ApiException.badRequest("the body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new AssertionError("reading a byte array cannot fail", e);
        }
    }
}
