package dev.doorcast.buffer;

/**
 * Told of every chunk of a viewer's voice right after it is stored, on the thread of the viewer's request.
 * An implementation must return at once: hand the news on, never write to a socket here.
 */
public interface TalkListener {

    /** A chunk of {@code talkId}'s voice for the doorbell's speaker. */
    void onVoice(AudioChunk chunk, String talkId);
}
