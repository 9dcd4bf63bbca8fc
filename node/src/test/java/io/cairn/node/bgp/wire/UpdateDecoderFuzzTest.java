package io.cairn.node.bgp.wire;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Arrays;

/**
 * Fuzzes the UPDATE decoder through MessageCodec.decode. Input: one octet choosing the session
 * (see {@link FuzzOracle#session}), then the UPDATE body; the header is made to fit so the
 * fuzzer spends its time past it. Seeds: the real-world corpus (UpdateDecoderFuzzTestInputs).
 * Regression mode (seeds only) unless JAZZER_FUZZ is set; then it fuzzes for jazzer.max_duration.
 */
@ExtendWith(FuzzDuration.class)
class UpdateDecoderFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void updateDecodesOrResetsTheSession(byte[] input) {
        if (input.length < 1 || input.length - 1 > MessageHeader.MAX_EXTENDED_LENGTH - MessageHeader.LENGTH) {
            return;
        }
        byte[] body = Arrays.copyOfRange(input, 1, input.length);
        FuzzOracle.check(Wire.message(BgpMessage.UPDATE, body), FuzzOracle.session(input[0]));
    }
}
