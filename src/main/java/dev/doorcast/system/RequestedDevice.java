package dev.doorcast.system;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The device a viewer's request is for: {@code ?device=<id>} in the query string, the default doorbell
 * without it. Decided here, once per request, and read from here by the authorization rules (does the
 * credential open this device?) and by every endpoint that serves a device (a {@code RequestedDevice}
 * argument, see {@link RequestedDeviceConfiguration}). Never from a form body, a multipart part or a header:
 * what was authorized is what is served.
 *
 * @param id the device's id as asked for; whether it is configured is the endpoint's to say (404)
 */
public record RequestedDevice(String id) {

    /** The query parameter that names the device. */
    public static final String PARAMETER = "device";

    private static final String ATTRIBUTE = RequestedDevice.class.getName();

    /**
     * The device {@code request} is for, decided on the first call and kept with the request.
     *
     * @throws ApiException 400 when {@code device} is given twice or cannot be decoded: a request whose
     *     meaning depends on which copy a reader takes is refused rather than guessed at
     */
    public static RequestedDevice of(HttpServletRequest request) {
        if (request.getAttribute(ATTRIBUTE) instanceof RequestedDevice decided) {
            return decided;
        }
        String id;
        try {
            id = QueryString.single(request, PARAMETER);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("The device must be named once in the query string (?device=<id>): "
                    + e.getMessage());
        }
        RequestedDevice device = new RequestedDevice(id == null ? DoorcastProperties.DEFAULT_DEVICE : id);
        request.setAttribute(ATTRIBUTE, device);
        return device;
    }
}
