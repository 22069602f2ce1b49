# syntax=docker/dockerfile:1
# A front door: the HTTP API on 8080 as an Orleans client of the silos (same PostgreSQL, same Orleans__ServiceId and
# Orleans__ClusterId). Stateless: run as many as the load needs behind one load balancer.
# Build from the repository root:  docker build --build-arg DOTNET_SDK_IMAGE=... --build-arg ASPNET_RUNTIME_IMAGE=... -f deploy/docker/front-door.Dockerfile -t product-events-front-door .

# The .NET 10 SDK and ASP.NET Core 10 runtime images, as your registry or mirror serves them (compose.yaml passes
# DOTNET_SDK_IMAGE and ASPNET_RUNTIME_IMAGE from the environment).
ARG DOTNET_SDK_IMAGE
ARG ASPNET_RUNTIME_IMAGE

FROM ${DOTNET_SDK_IMAGE} AS build
WORKDIR /source
# The build installs the web console's charting library with npm (src/Api/WebConsole/package-lock.json).
RUN command -v npm >/dev/null || (apt-get update -qq && apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null)
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY deploy/sql/ deploy/sql/
COPY src/ src/
# ReadyToRun: compiled ahead of time for the image's runtime, so a new container does not spend its first minute of load
# compiling (bench/run.sh measures the silo built the same way).
RUN dotnet publish src/FrontDoor/ProductEvents.FrontDoor.csproj -c Release --use-current-runtime --self-contained false -p:PublishReadyToRun=true -o /app

FROM ${ASPNET_RUNTIME_IMAGE} AS runtime
WORKDIR /app
COPY --from=build /app ./
ENV ASPNETCORE_URLS=http://+:8080 \
    ASPNETCORE_HTTP_PORTS=
EXPOSE 8080
USER $APP_UID
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["dotnet", "ProductEvents.FrontDoor.dll", "probe", "http://127.0.0.1:8080/health/ready"]
ENTRYPOINT ["dotnet", "ProductEvents.FrontDoor.dll"]
