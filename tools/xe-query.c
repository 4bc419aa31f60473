// SPDX-License-Identifier: GPL-2.0-only
/*
 * xe-query: prints what every xe DRM device reports about itself.
 *
 * For each /dev/dri/cardN driven by xe it shows the driver version, then
 * the answers of DRM_IOCTL_XE_DEVICE_QUERY for the device configuration,
 * engines, memory regions and GTs. Exits with 0 when at least one device
 * was found and every query succeeded, 1 otherwise.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <drm/drm.h>
#include <drm/xe_drm.h>

#define MAX_CARDS	64
#define MIB		(1024.0 * 1024.0)
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static int xioctl(int fd, unsigned long request, void *arg)
{
	int ret;

	do {
		ret = ioctl(fd, request, arg);
	} while (ret == -1 && (errno == EINTR || errno == EAGAIN));

	return ret == -1 ? -errno : 0;
}

struct version {
	struct drm_version v;
	char *name, *date, *desc;
};

static void version_free(struct version *ver)
{
	free(ver->name);
	free(ver->date);
	free(ver->desc);
}

/* DRM_IOCTL_VERSION, first for the string lengths, then for the strings. */
static int version_get(int fd, struct version *ver)
{
	int ret;

	memset(ver, 0, sizeof(*ver));
	ret = xioctl(fd, DRM_IOCTL_VERSION, &ver->v);
	if (ret)
		return ret;

	ver->name = calloc(1, ver->v.name_len + 1);
	ver->date = calloc(1, ver->v.date_len + 1);
	ver->desc = calloc(1, ver->v.desc_len + 1);
	if (!ver->name || !ver->date || !ver->desc) {
		version_free(ver);
		return -ENOMEM;
	}
	ver->v.name = ver->name;
	ver->v.date = ver->date;
	ver->v.desc = ver->desc;

	ret = xioctl(fd, DRM_IOCTL_VERSION, &ver->v);
	if (ret)
		version_free(ver);
	return ret;
}

/* Runs one device query; the reply is returned in a buffer to free(). */
static void *device_query(int fd, uint32_t id, const char *what, uint32_t *size)
{
	struct drm_xe_device_query q = { .query = id };
	void *data;
	int ret;

	ret = xioctl(fd, DRM_IOCTL_XE_DEVICE_QUERY, &q);
	if (ret) {
		fprintf(stderr, "  %s query failed: %s\n", what, strerror(-ret));
		return NULL;
	}

	data = calloc(1, q.size ? q.size : 1);
	if (!data) {
		fprintf(stderr, "  %s query: out of memory\n", what);
		return NULL;
	}

	if (q.size) {
		q.data = (uintptr_t)data;
		ret = xioctl(fd, DRM_IOCTL_XE_DEVICE_QUERY, &q);
		if (ret) {
			fprintf(stderr, "  %s query failed: %s\n", what, strerror(-ret));
			free(data);
			return NULL;
		}
	}

	if (size)
		*size = q.size;
	return data;
}

static const char *engine_short_name(uint16_t engine_class)
{
	switch (engine_class) {
	case DRM_XE_ENGINE_CLASS_RENDER:
		return "rcs";
	case DRM_XE_ENGINE_CLASS_COPY:
		return "bcs";
	case DRM_XE_ENGINE_CLASS_VIDEO_DECODE:
		return "vcs";
	case DRM_XE_ENGINE_CLASS_VIDEO_ENHANCE:
		return "vecs";
	case DRM_XE_ENGINE_CLASS_COMPUTE:
		return "ccs";
	default:
		return "unknown";
	}
}

static const char *engine_class_name(uint16_t engine_class)
{
	switch (engine_class) {
	case DRM_XE_ENGINE_CLASS_RENDER:
		return "render";
	case DRM_XE_ENGINE_CLASS_COPY:
		return "copy";
	case DRM_XE_ENGINE_CLASS_VIDEO_DECODE:
		return "video-decode";
	case DRM_XE_ENGINE_CLASS_VIDEO_ENHANCE:
		return "video-enhance";
	case DRM_XE_ENGINE_CLASS_COMPUTE:
		return "compute";
	default:
		return "unknown";
	}
}

static const char *mem_class_name(uint16_t mem_class)
{
	switch (mem_class) {
	case DRM_XE_MEM_REGION_CLASS_SYSMEM:
		return "sysmem";
	case DRM_XE_MEM_REGION_CLASS_VRAM:
		return "vram";
	default:
		return "unknown";
	}
}

static const char *gt_type_name(uint16_t type)
{
	switch (type) {
	case DRM_XE_QUERY_GT_TYPE_MAIN:
		return "main";
	case DRM_XE_QUERY_GT_TYPE_MEDIA:
		return "media";
	default:
		return "unknown";
	}
}

static void print_config_flags(uint64_t flags)
{
	static const struct {
		uint64_t bit;
		const char *name;
	} names[] = {
		{ DRM_XE_QUERY_CONFIG_FLAG_HAS_VRAM, "has-vram" },
		{ DRM_XE_QUERY_CONFIG_FLAG_HAS_LOW_LATENCY, "has-low-latency" },
		{ DRM_XE_QUERY_CONFIG_FLAG_HAS_CPU_ADDR_MIRROR, "has-cpu-addr-mirror" },
	};
	const char *sep = "";
	size_t i;

	printf("    flags          %#llx (", (unsigned long long)flags);
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		if (flags & names[i].bit) {
			printf("%s%s", sep, names[i].name);
			sep = " ";
			flags &= ~names[i].bit;
		}
	}
	if (flags)
		printf("%sunknown %#llx", sep, (unsigned long long)flags);
	else if (!*sep)
		printf("none");
	printf(")\n");
}

static bool show_config(int fd)
{
	struct drm_xe_query_config *config;
	uint64_t id;

	config = device_query(fd, DRM_XE_DEVICE_QUERY_CONFIG, "config", NULL);
	if (!config)
		return false;

	printf("  config:\n");
	if (config->num_params <= DRM_XE_QUERY_CONFIG_MAX_EXEC_QUEUE_PRIORITY) {
		fprintf(stderr, "  config query: only %u parameters\n", config->num_params);
		free(config);
		return false;
	}

	id = config->info[DRM_XE_QUERY_CONFIG_REV_AND_DEVICE_ID];
	printf("    device id      %#06llx\n", (unsigned long long)(id & 0xffff));
	printf("    revision       %llu\n", (unsigned long long)((id >> 16) & 0xff));
	print_config_flags(config->info[DRM_XE_QUERY_CONFIG_FLAGS]);
	printf("    min alignment  %llu\n",
	       (unsigned long long)config->info[DRM_XE_QUERY_CONFIG_MIN_ALIGNMENT]);
	printf("    va bits        %llu\n",
	       (unsigned long long)config->info[DRM_XE_QUERY_CONFIG_VA_BITS]);
	printf("    max priority   %llu\n",
	       (unsigned long long)config->info[DRM_XE_QUERY_CONFIG_MAX_EXEC_QUEUE_PRIORITY]);

	free(config);
	return true;
}

static bool show_engines(int fd)
{
	struct drm_xe_query_engines *engines;
	uint32_t i;

	engines = device_query(fd, DRM_XE_DEVICE_QUERY_ENGINES, "engines", NULL);
	if (!engines)
		return false;

	printf("  engines (%u):\n", engines->num_engines);
	for (i = 0; i < engines->num_engines; i++) {
		const struct drm_xe_engine_class_instance *e = &engines->engines[i].instance;

		printf("    %s%u %s instance %u gt%u\n", engine_short_name(e->engine_class),
		       e->engine_instance, engine_class_name(e->engine_class),
		       e->engine_instance, e->gt_id);
	}

	free(engines);
	return true;
}

static bool show_mem_regions(int fd)
{
	struct drm_xe_query_mem_regions *regions;
	uint32_t i;

	regions = device_query(fd, DRM_XE_DEVICE_QUERY_MEM_REGIONS, "memory regions", NULL);
	if (!regions)
		return false;

	printf("  memory regions (%u):\n", regions->num_mem_regions);
	for (i = 0; i < regions->num_mem_regions; i++) {
		const struct drm_xe_mem_region *r = &regions->mem_regions[i];

		printf("    %-6s class %u instance %u min page %u:", mem_class_name(r->mem_class),
		       r->mem_class, r->instance, r->min_page_size);
		printf(" total %.1f MiB, used %.1f MiB, cpu visible %.1f MiB (used %.1f MiB)\n",
		       r->total_size / MIB, r->used / MIB, r->cpu_visible_size / MIB,
		       r->cpu_visible_used / MIB);
	}

	free(regions);
	return true;
}

static bool show_gts(int fd)
{
	struct drm_xe_query_gt_list *gts;
	uint32_t i;

	gts = device_query(fd, DRM_XE_DEVICE_QUERY_GT_LIST, "gt list", NULL);
	if (!gts)
		return false;

	printf("  gts (%u):\n", gts->num_gt);
	for (i = 0; i < gts->num_gt; i++) {
		const struct drm_xe_gt *gt = &gts->gt_list[i];

		printf("    gt%u %s tile %u: reference clock %u Hz,", gt->gt_id,
		       gt_type_name(gt->type), gt->tile_id, gt->reference_clock);
		printf(" near regions %#llx, far regions %#llx, ip %u.%u.%u\n",
		       (unsigned long long)gt->near_mem_regions,
		       (unsigned long long)gt->far_mem_regions,
		       gt->ip_ver_major, gt->ip_ver_minor, gt->ip_ver_rev);
	}

	free(gts);
	return true;
}

/* Prints one device; returns false if anything could not be queried. */
static bool show_device(const char *path, int fd, const struct version *ver)
{
	bool ok = true;

	printf("%s: %s %d.%d.%d", path, ver->name, ver->v.version_major, ver->v.version_minor,
	       ver->v.version_patchlevel);
	if (ver->desc[0])
		printf(" - %s", ver->desc);
	printf("\n");

	ok &= show_config(fd);
	ok &= show_engines(fd);
	ok &= show_mem_regions(fd);
	ok &= show_gts(fd);
	return ok;
}

int main(void)
{
	int found = 0, failed = 0;
	int i;

	for (i = 0; i < MAX_CARDS; i++) {
		struct version ver;
		char path[64];
		int fd, ret;

		snprintf(path, sizeof(path), "/dev/dri/card%d", i);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0) {
			if (errno != ENOENT)
				fprintf(stderr, "%s: %s\n", path, strerror(errno));
			continue;
		}

		ret = version_get(fd, &ver);
		if (ret) {
			fprintf(stderr, "%s: DRM_IOCTL_VERSION failed: %s\n", path, strerror(-ret));
			close(fd);
			continue;
		}

		if (strcmp(ver.name, "xe") == 0) {
			if (found)
				printf("\n");
			found++;
			if (!show_device(path, fd, &ver))
				failed++;
		}

		version_free(&ver);
		close(fd);
	}

	if (!found) {
		fprintf(stderr, "xe-query: no xe device found under /dev/dri\n");
		return 1;
	}
	if (failed) {
		fprintf(stderr, "xe-query: queries failed on %d of %d xe device(s)\n", failed,
			found);
		return 1;
	}
	return 0;
}
