package io.spaghetti.sdk.spring.boot.internal;

import io.spaghetti.sdk.backplane.BackplaneModule;
import io.spaghetti.sdk.backplane.HubContext;
import io.spaghetti.sdk.spring.boot.SignalRHubMapping;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;

/**
 * A {@link HubContext} bean for each {@link SignalRHubMapping} bean, named after it ({@code documentHub} gives
 * {@code documentHubContext}), so a controller sends to that hub's clients on every server by injecting it.
 * Each call goes to the backplane as it is then, so the bean works once Redis is reached, even after start-up.
 */
public final class HubContextRegistrar implements BeanDefinitionRegistryPostProcessor {
    public static final String SUFFIX = "Context";

    @Override
    public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
        BeanFactory beans = (BeanFactory) registry;
        for (String mapping : ((ListableBeanFactory) registry).getBeanNamesForType(SignalRHubMapping.class, true, false)) {
            String name = mapping + SUFFIX;
            if (!registry.containsBeanDefinition(name)) {
                registry.registerBeanDefinition(name, new RootBeanDefinition(HubContext.class, () -> ModuleApi.deferred(
                        HubContext.class, () -> beans.getBean(BackplaneModule.class)
                                .hub(beans.getBean(mapping, SignalRHubMapping.class).hubName()))));
            }
        }
    }
}
