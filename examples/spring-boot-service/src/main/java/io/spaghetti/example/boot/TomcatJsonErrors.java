package io.spaghetti.example.boot;

import org.apache.catalina.Container;
import org.apache.catalina.Valve;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.catalina.valves.JsonErrorReportValve;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * Requests Tomcat refuses before Spring sees them (a malformed %-escape, an encoded slash in the path) are
 * answered in JSON with the reason, like every other refusal of the service, instead of Tomcat's HTML page.
 */
@Component
class TomcatJsonErrors implements ApplicationListener<WebServerInitializedEvent> {
    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        if (!(event.getWebServer() instanceof TomcatWebServer tomcat)) {
            return;
        }
        for (Container host : tomcat.getTomcat().getEngine().findChildren()) {
            for (Valve valve : host.getPipeline().getValves()) {
                if (valve instanceof ErrorReportValve && !(valve instanceof JsonErrorReportValve)) {
                    host.getPipeline().removeValve(valve);
                }
            }
            JsonErrorReportValve json = new JsonErrorReportValve();
            json.setShowServerInfo(false);
            host.getPipeline().addValve(json);
        }
    }
}
