package dev.doorcast.buffer;

import java.util.Arrays;

import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MediaFaultTest {

    @Test
    void aRealJpegIsAFrame() {
        assertThat(MediaFault.ofFrame(TestMedia.jpeg(1), 256 * 1024)).isNull();
    }

    @Test
    void zeroPaddingAfterTheEndMarkerIsAllowed() {
        byte[] jpeg = TestMedia.jpeg(2);
        byte[] padded = Arrays.copyOf(jpeg, jpeg.length + 7);

        assertThat(MediaFault.ofFrame(padded, 256 * 1024)).isNull();
    }

    @Test
    void namesWhatIsWrongWithAFrame() {
        byte[] jpeg = TestMedia.jpeg(3);

        assertThat(MediaFault.ofFrame(new byte[0], 100)).isEqualTo(MediaFault.EMPTY);
        assertThat(MediaFault.ofFrame(new byte[] {'G', 'I', 'F', '8'}, 100)).isEqualTo(MediaFault.NOT_JPEG);
        assertThat(MediaFault.ofFrame(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}, 100))
                .isEqualTo(MediaFault.NOT_JPEG);
        assertThat(MediaFault.ofFrame(Arrays.copyOf(jpeg, jpeg.length - 1), 256 * 1024))
                .isEqualTo(MediaFault.NOT_WHOLE_JPEG);
        assertThat(MediaFault.ofFrame(jpeg, jpeg.length - 1)).isEqualTo(MediaFault.TOO_LARGE);
        assertThat(MediaFault.ofFrame(jpeg, jpeg.length)).isNull();
    }

    @Test
    void namesWhatIsWrongWithAnAudioChunk() {
        assertThat(MediaFault.ofAudio(TestMedia.pcm(0, 2048), 16 * 1024)).isNull();
        assertThat(MediaFault.ofAudio(new byte[0], 16 * 1024)).isEqualTo(MediaFault.EMPTY);
        assertThat(MediaFault.ofAudio(new byte[3], 16 * 1024)).isEqualTo(MediaFault.ODD_LENGTH);
        assertThat(MediaFault.ofAudio(new byte[2050], 2048)).isEqualTo(MediaFault.TOO_LARGE);
    }
}
