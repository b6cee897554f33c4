package io.spaghetti.sdk.spring.boot.internal;

import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.core.SdkModule;
import java.util.ServiceLoader;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;

/**
 * One health indicator bean per SDK module on the classpath ({@code spaghettiRedis}, {@code spaghettiSearch},
 * ...), declared before any bean exists, so health groups may name them like any other contributor.
 */
public final class ModuleHealthRegistrar implements BeanDefinitionRegistryPostProcessor {
    private final ClassLoader classLoader;

    public ModuleHealthRegistrar(ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    @Override
    public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
        BeanFactory beans = (BeanFactory) registry;
        for (SdkModule module : ServiceLoader.load(SdkModule.class, classLoader)) {
            // Actuator drops the suffix: the contributor is spaghettiRedis (and the bean name stays free for APIs).
            String name = ModuleHealthIndicator.contributorName(module.name()) + "HealthIndicator";
            if (!registry.containsBeanDefinition(name)) {
                String moduleName = module.name();
                registry.registerBeanDefinition(name, new RootBeanDefinition(ModuleHealthIndicator.class,
                        () -> new ModuleHealthIndicator(() -> beans.getBean(Sdk.class), moduleName)));
            }
        }
    }
}
