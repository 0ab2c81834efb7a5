package dev.doorcast.buffer;

import org.jspecify.annotations.Nullable;

/**
 * What the buffer holds and has seen, read at one moment.
 *
 * @param framesReceived frames accepted since start
 * @param audioChunksReceived audio chunks accepted since start
 * @param bytesReceived JPEG and PCM bytes accepted since start
 * @param framesEvicted frames overwritten in the frame buffer by newer ones (normal once it is full)
 * @param audioChunksEvicted chunks overwritten in the audio buffer by newer ones
 * @param currentFrames frames held now
 * @param frameCapacity frames the frame buffer holds at most
 * @param currentAudioChunks chunks held now
 * @param audioCapacity chunks the audio buffer holds at most
 * @param lastFrameTime server time the newest frame arrived, epoch ms, or null before the first
 * @param lastAudioTime server time the newest chunk arrived, epoch ms, or null before the first
 */
public record BufferStats(
        long framesReceived,
        long audioChunksReceived,
        long bytesReceived,
        long framesEvicted,
        long audioChunksEvicted,
        int currentFrames,
        int frameCapacity,
        int currentAudioChunks,
        int audioCapacity,
        @Nullable Long lastFrameTime,
        @Nullable Long lastAudioTime) {
}
