package io.cairn.node.bgp.wire;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fuzzes the OPEN decoder (with capabilities and RFC 9072 parameters) through
 * MessageCodec.decode. Input: the OPEN body; the header is made to fit. Seeds: OPENs as BGP
 * implementations send them (OpenDecoderFuzzTestInputs).
 */
@ExtendWith(FuzzDuration.class)
class OpenDecoderFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void openDecodesOrResetsTheSession(byte[] body) {
        if (body.length > MessageHeader.MAX_LENGTH - MessageHeader.LENGTH) {
            return;
        }
        FuzzOracle.check(Wire.message(BgpMessage.OPEN, body), Negotiated.DEFAULT);
    }
}
