package dev.doorcast.system;

import java.util.List;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Hands an endpoint its {@link RequestedDevice} as an argument, from the one place that decides it, and
 * refuses a form or multipart body to any endpoint that takes one. None of them takes a form; refused from
 * the head, the body is never parsed, so a {@code device} in it cannot be read by anyone, here or later.
 */
@Configuration(proxyBeanMethods = false)
class RequestedDeviceConfiguration implements WebMvcConfigurer {

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new Resolver());
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new NoForms());
    }

    static boolean takesDevice(HandlerMethod handler) {
        for (MethodParameter parameter : handler.getMethodParameters()) {
            if (parameter.getParameterType() == RequestedDevice.class) {
                return true;
            }
        }
        return false;
    }

    static boolean isForm(@Nullable String contentType) {
        String type = contentType == null ? "" : contentType.strip().toLowerCase(Locale.ROOT);
        return type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/");
    }

    private static final class Resolver implements HandlerMethodArgumentResolver {

        @Override
        public boolean supportsParameter(MethodParameter parameter) {
            return parameter.getParameterType() == RequestedDevice.class;
        }

        @Override
        public Object resolveArgument(MethodParameter parameter, @Nullable ModelAndViewContainer container,
                NativeWebRequest request, @Nullable WebDataBinderFactory binders) {
            HttpServletRequest servlet = request.getNativeRequest(HttpServletRequest.class);
            if (servlet == null) {
                throw new IllegalStateException("a device is asked for by HTTP requests only");
            }
            return RequestedDevice.of(servlet);
        }
    }

    /** Before any argument is read: a form parameter read for another argument would parse the body. */
    private static final class NoForms implements HandlerInterceptor {

        @Override
        public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
            if (handler instanceof HandlerMethod method && isForm(request.getContentType()) && takesDevice(method)) {
                throw ApiException.badRequest("This endpoint reads the device and its other parameters from the "
                        + "query string only (?device=<id>): send no form or multipart body");
            }
            return true;
        }
    }
}
